import Link from 'next/link';
import { cn } from '@/components/ui/cn';

/** The product's mark and name, linking to the console's start page. `compact`: the name only for screen readers on small screens. */
export function Brand({ compact = false }: { compact?: boolean }) {
  return (
    <Link
      href="/jobs"
      className="flex shrink-0 items-center gap-2 rounded-md text-sm font-semibold whitespace-nowrap text-fg focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring"
    >
      <svg aria-hidden="true" viewBox="0 0 32 32" className="size-7">
        <rect width="32" height="32" rx="7" className="fill-accent" />
        <path
          d="M9 10h14M9 16h9M9 22h14"
          stroke="currentColor"
          strokeWidth="2.5"
          strokeLinecap="round"
          className="text-accent-fg"
        />
      </svg>
      <span className={cn(compact && 'max-sm:sr-only')}>ETL Manager</span>
    </Link>
  );
}
