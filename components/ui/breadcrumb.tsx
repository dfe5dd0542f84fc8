import Link from 'next/link';
import type { ReactNode } from 'react';
import { cn } from './cn';

export interface Crumb {
  href: string;
  label: ReactNode;
  /** Ids and names that read as code. */
  mono?: boolean;
}

/** Where a page sits: links up the way, then the page itself (when given) marked as current. */
export function Breadcrumb({
  trail,
  current,
  currentMono = false,
}: {
  trail: Crumb[];
  current?: ReactNode;
  currentMono?: boolean;
}) {
  if (trail.length === 1 && current === undefined)
    return (
      <nav aria-label="Breadcrumb" className="mb-3 text-sm text-fg-muted">
        <Link
          href={trail[0].href}
          className={cn('hover:text-fg hover:underline', trail[0].mono && 'font-mono')}
        >
          {trail[0].label}
        </Link>
      </nav>
    );
  const items = trail.flatMap((crumb, index) => [
    index > 0 ? (
      <li key={`${crumb.href}/`} aria-hidden="true">
        /
      </li>
    ) : null,
    <li key={crumb.href}>
      <Link href={crumb.href} className={cn('hover:text-fg hover:underline', crumb.mono && 'font-mono')}>
        {crumb.label}
      </Link>
    </li>,
  ]);
  return (
    <nav aria-label="Breadcrumb" className="mb-3 text-sm text-fg-muted">
      <ol className="flex flex-wrap items-center gap-1.5">
        {items}
        {current !== undefined ? (
          <>
            <li aria-hidden="true">/</li>
            <li aria-current="page" className={cn('text-fg', currentMono && 'font-mono')}>
              {current}
            </li>
          </>
        ) : null}
      </ol>
    </nav>
  );
}
