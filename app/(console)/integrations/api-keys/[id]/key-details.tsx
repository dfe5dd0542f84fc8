import Link from 'next/link';
import type { ReactNode } from 'react';
import { formatTime, relativeTime } from '@/components/api-keys/format';
import { AuditTable } from '@/components/audit/audit-table';
import { Badge } from '@/components/ui/badge';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import type { listAuditEvents } from '@/server/audit/list-audit-events';
import type { KeyDetail } from '@/server/keys/get-key';

// The key page's details card and history (page.tsx composes them).

function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-0.5 py-2 sm:flex-row sm:gap-4">
      <dt className="w-32 shrink-0 text-sm text-fg-muted">{label}</dt>
      <dd className="min-w-0 text-sm text-fg">{children}</dd>
    </div>
  );
}

/** The key's owner, dates, limits, jobs and the keys it replaced or was replaced by. */
export function DetailsCard({ keyDetail: k }: { keyDetail: KeyDetail }) {
  return (
    <Card>
      <CardHeader title="Details" />
      <CardBody>
        <dl className="divide-y divide-border">
          <Detail label="Key id">
            <code className="font-mono text-xs break-all">{k.id}</code>
          </Detail>
          <Detail label="Owner">{k.owner.name ? `${k.owner.name} (${k.owner.email})` : k.owner.email}</Detail>
          <Detail label="Created">{formatTime(k.createdAt)}</Detail>
          <Detail label="Expires">
            {k.expiresAt ? `${formatTime(k.expiresAt)} (${relativeTime(k.expiresAt)})` : 'Never'}
          </Detail>
          <Detail label="Last used">
            {k.lastUsedAt ? (
              <>
                {formatTime(k.lastUsedAt)} ({relativeTime(k.lastUsedAt)})
                {k.lastUsedIp ? (
                  <span className="block font-mono text-xs text-fg-muted">from {k.lastUsedIp}</span>
                ) : null}
              </>
            ) : (
              'Never'
            )}
          </Detail>
          <Detail label="Jobs">
            {k.jobs.length ? (
              <span className="flex flex-wrap gap-1">
                {k.jobs.map((j) => (
                  <Badge key={j.id}>{j.name}</Badge>
                ))}
              </span>
            ) : (
              'All jobs of the organisation'
            )}
          </Detail>
          <Detail label="Rate limit">
            {k.rateLimit === null
              ? 'Organisation default'
              : k.rateLimit === 0
                ? 'None'
                : `${k.rateLimit} requests a minute`}
          </Detail>
          {k.revokedAt ? <Detail label="Revoked">{formatTime(k.revokedAt)}</Detail> : null}
          {k.graceUntil && !k.revokedAt ? (
            <Detail label="Grace until">{formatTime(k.graceUntil)}</Detail>
          ) : null}
          {k.rolledFrom ? (
            <Detail label="Replaces">
              <Link
                href={`/integrations/api-keys/${k.rolledFrom.id}`}
                prefetch={false}
                className="text-accent hover:underline"
              >
                {k.rolledFrom.name} ({k.rolledFrom.id.slice(0, 8)}…)
              </Link>
            </Detail>
          ) : null}
          {k.rolledTo ? (
            <Detail label="Replaced by">
              <Link
                href={`/integrations/api-keys/${k.rolledTo.id}`}
                prefetch={false}
                className="text-accent hover:underline"
              >
                {k.rolledTo.name} ({k.rolledTo.id.slice(0, 8)}…)
              </Link>
              <span className="block text-xs text-fg-muted">
                {k.rolledTo.lastUsedAt
                  ? `first used, last ${relativeTime(k.rolledTo.lastUsedAt)}`
                  : 'not used yet'}
              </span>
            </Detail>
          ) : null}
        </dl>
      </CardBody>
    </Card>
  );
}

/** What happened to the key, newest first. */
export function History({
  keyId,
  history,
}: {
  keyId: string;
  history: Awaited<ReturnType<typeof listAuditEvents>>;
}) {
  return (
    <section aria-labelledby="history-heading" className="min-w-0">
      <div className="mb-3 flex items-baseline justify-between gap-3">
        <h2 id="history-heading" className="text-base font-semibold text-fg">
          History
        </h2>
        <Link href={`/audit?target=key:${keyId}`} className="text-sm text-accent hover:underline">
          Full audit log
        </Link>
      </div>
      {history.items.length ? (
        <AuditTable rows={history.items} caption="History of this key" compact self={`key:${keyId}`} />
      ) : (
        <p className="text-sm text-fg-muted">Nothing recorded yet.</p>
      )}
    </section>
  );
}
