'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { cn } from '@/components/ui/cn';
import { NAV_GROUPS, isActive } from './nav-items';

/** The console's main navigation; the current section's link carries aria-current="page". */
export function SidebarNav() {
  const pathname = usePathname() ?? '/';
  return (
    <nav aria-label="Main" className="flex flex-wrap gap-x-1 gap-y-1 md:flex-col md:flex-nowrap md:gap-5">
      {NAV_GROUPS.map((group, index) => {
        const headingId = group.title ? `nav-group-${index}` : undefined;
        return (
          <div key={group.title ?? index}>
            {group.title ? (
              <h2
                id={headingId}
                className="mb-1.5 px-3 text-xs font-semibold tracking-wide text-fg-muted uppercase max-md:sr-only"
              >
                {group.title}
              </h2>
            ) : null}
            <ul aria-labelledby={headingId} className="flex flex-wrap gap-0.5 md:flex-col">
              {group.items.map((item) => {
                const active = isActive(pathname, item);
                return (
                  <li key={item.href}>
                    <Link
                      href={item.href}
                      aria-current={active ? 'page' : undefined}
                      className={cn(
                        'flex items-center rounded-md px-3 py-2 text-sm font-medium whitespace-nowrap transition-colors',
                        'focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring',
                        active
                          ? 'bg-accent-soft text-accent'
                          : 'text-fg-muted hover:bg-surface-muted hover:text-fg',
                      )}
                    >
                      {item.label}
                    </Link>
                  </li>
                );
              })}
            </ul>
          </div>
        );
      })}
    </nav>
  );
}
