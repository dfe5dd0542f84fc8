import Link from 'next/link';

/** The product's mark and name, linking to the console's start page. */
export function Brand() {
  return (
    <Link
      href="/jobs"
      className="flex items-center gap-2 rounded-md text-sm font-semibold text-fg focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring"
    >
      <svg aria-hidden="true" viewBox="0 0 32 32" className="size-7">
        <rect width="32" height="32" rx="7" className="fill-accent" />
        <path d="M9 10h14M9 16h9M9 22h14" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" className="text-accent-fg" />
      </svg>
      <span>ETL Manager</span>
    </Link>
  );
}
