import Link from 'next/link';
import { buttonClasses } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';

/**
 * "Newer" and "Older" between keyset pages: each link carries the cursor of the page beside this one in
 * the URL (null: no page that way), `href(cursor)` keeps the filters; "Newest" goes back to the top.
 */
export function Pagination({
  count,
  older,
  newer,
  href,
  noun = 'runs',
}: {
  count: number;
  older: string | null;
  newer: string | null;
  href: (cursor: string | null) => string;
  noun?: string;
}) {
  const link = (cursor: string | null, label: string, rel: 'prev' | 'next' | undefined) =>
    cursor ? (
      <Link href={href(cursor)} rel={rel} className={buttonClasses({ variant: 'secondary', size: 'sm' })}>
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
        Showing <span className="font-medium text-fg tabular-nums">{count.toLocaleString('en')}</span>{' '}
        {count === 1 ? noun.replace(/s$/, '') : noun}, newest first
      </p>
      <div className="flex items-center gap-2">
        {newer ? (
          <Link href={href(null)} className={buttonClasses({ variant: 'ghost', size: 'sm' })}>
            Newest
          </Link>
        ) : null}
        {link(newer, 'Newer', 'prev')}
        {link(older, 'Older', 'next')}
      </div>
    </nav>
  );
}
