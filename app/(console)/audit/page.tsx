import type { Metadata } from 'next';
import Link from 'next/link';
import { AuditFilters } from '@/components/audit/audit-filters';
import { AuditTable } from '@/components/audit/audit-table';
import { Alert } from '@/components/ui/alert';
import { buttonClasses } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { listAuditEvents } from '@/server/audit/list-audit-events';
import { sessionActor } from '@/server/members/session-actor';

export const metadata: Metadata = { title: 'Audit' };

type Search = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => ((Array.isArray(v) ? v[0] : v) ?? '').slice(0, 200);

export default async function AuditPage({ searchParams }: { searchParams: Search }) {
  const actor = await sessionActor();
  const params = await searchParams;
  const action = one(params.action);
  const actorName = one(params.actor);
  const target = /^(key|job|user):[0-9a-f-]{36}$/i.test(one(params.target))
    ? one(params.target).toLowerCase()
    : '';
  const cursor = one(params.cursor) || null;
  const { items, older, newer } = await listAuditEvents(actor, {
    action: action || undefined,
    actor: actorName,
    target: target || undefined,
    cursor,
    limit: 50,
  });

  const query = (extra: Record<string, string>) => {
    const q = new URLSearchParams();
    if (action) q.set('action', action);
    if (actorName) q.set('actor', actorName);
    if (target) q.set('target', target);
    for (const [k, v] of Object.entries(extra)) q.set(k, v);
    return `/audit?${q.toString()}`;
  };

  return (
    <>
      <PageHeader
        title="Audit"
        description="Who did what in this organisation, and when: keys created, revealed, rolled and revoked, members added, jobs started through the API."
      />
      <AuditFilters action={action} actor={actorName} target={target} />
      {target ? (
        <Alert tone="info" className="mb-4">
          Showing events about <code>{target}</code> only.
        </Alert>
      ) : null}
      {items.length === 0 ? (
        <EmptyState
          title={cursor || action || actorName || target ? 'No events match' : 'Nothing recorded yet'}
          description="Key creations, reveals, revocations, member changes and job starts through the API are listed here."
        />
      ) : (
        <>
          <AuditTable rows={items} caption="Audit log" />
          <div className="mt-4 flex items-center justify-between text-sm text-fg-muted">
            <span>Times are UTC. Newest first.</span>
            <span className="flex gap-2">
              {newer ? (
                <>
                  <Link href={query({})} className={buttonClasses({ variant: 'ghost', size: 'sm' })}>
                    Newest
                  </Link>
                  <Link
                    href={query({ cursor: newer })}
                    rel="prev"
                    className={buttonClasses({ variant: 'secondary', size: 'sm' })}
                  >
                    Newer events
                  </Link>
                </>
              ) : null}
              {older ? (
                <Link
                  href={query({ cursor: older })}
                  rel="next"
                  className={buttonClasses({ variant: 'secondary', size: 'sm' })}
                >
                  Older events
                </Link>
              ) : null}
            </span>
          </div>
        </>
      )}
    </>
  );
}
