import Link from 'next/link';
import { buttonClasses } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';

/** "Showing 26–50 of 212" with Previous and Next; `href(page)` keeps the filters. */
export function Pagination({
  page,
  pageSize,
  total,
  href,
  noun = 'runs',
}: {
  page: number;
  pageSize: number;
  total: number;
  href: (page: number) => string;
  noun?: string;
}) {
  const last = Math.max(1, Math.ceil(total / pageSize));
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  const link = (target: number, label: string, rel: 'prev' | 'next', enabled: boolean) =>
    enabled ? (
      <Link href={href(target)} rel={rel} className={buttonClasses({ variant: 'secondary', size: 'sm' })}>
        {label}
      </Link>
    ) : (
      <span
        aria-disabled="true"
        className={cn(buttonClasses({ variant: 'secondary', size: 'sm' }), 'pointer-events-none')}
      >
        {label}
      </span>
    );
  return (
    <nav
      aria-label="Pages"
      className="mt-3 flex flex-wrap items-center justify-between gap-3 text-sm text-fg-muted"
    >
      <p aria-live="polite">
        Showing <span className="font-medium text-fg tabular-nums">{from.toLocaleString('en')}</span>–
        <span className="font-medium text-fg tabular-nums">{to.toLocaleString('en')}</span> of{' '}
        <span className="font-medium text-fg tabular-nums">{total.toLocaleString('en')}</span> {noun}
      </p>
      <div className="flex items-center gap-2">
        {link(page - 1, 'Previous', 'prev', page > 1)}
        <span className="px-1 tabular-nums">
          Page {page} of {last}
        </span>
        {link(page + 1, 'Next', 'next', page < last)}
      </div>
    </nav>
  );
}
