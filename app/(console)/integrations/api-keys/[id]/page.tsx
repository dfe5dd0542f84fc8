import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { formatTime, keyHint, relativeTime } from '@/components/api-keys/format';
import { JsonBlock } from '@/components/api-keys/json-block';
import { EditKeyButton, RevokeKeyButton, RollKeyButton } from '@/components/api-keys/key-actions';
import { KeyStatusBadge } from '@/components/api-keys/key-status-badge';
import { FreshKeyBanner, KeySecretProvider, KeyToken } from '@/components/api-keys/key-secret';
import { KeySnippets } from '@/components/api-keys/key-snippets';
import { KeyUsageView } from '@/components/api-keys/key-usage-view';
import { defaultSnippetJob } from '@/components/api-keys/snippets';
import { AuditTable } from '@/components/audit/audit-table';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { listAuditEvents } from '@/server/audit/list-audit-events';
import { AppError } from '@/server/errors';
import { getApiKey, type KeyDetail } from '@/server/keys/get-key';
import { lastStartedJobId } from '@/server/keys/last-started-job';
import { listJobChoices } from '@/server/keys/list-job-choices';
import { headers } from 'next/headers';
import { publicOrigin } from '@/server/http/public-origin';
import { getUsage } from '@/server/keys/usage/get-usage';
import { listKeyRequests } from '@/server/keys/usage/list-requests';
import { sessionActor } from '@/server/members/session-actor';
import { parseOutcome, parseRange } from '@/lib/key-usage';
import { revealKeyAction, revokeKeyAction, rollKeyAction, testKeyAction, updateKeyAction } from '../actions';
import { Breadcrumb } from '@/components/ui/breadcrumb';

export const metadata: Metadata = { title: 'API key' };

type Params = Promise<{ id: string }>;
type Search = Promise<Record<string, string | string[] | undefined>>;

function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-0.5 py-2 sm:flex-row sm:gap-4">
      <dt className="w-32 shrink-0 text-sm text-fg-muted">{label}</dt>
      <dd className="min-w-0 text-sm text-fg">{children}</dd>
    </div>
  );
}

function tokenNote(key: KeyDetail): string {
  if (key.status === 'revoked') return 'This key is revoked: its token no longer works and is not shown.';
  if (key.status === 'expired') return 'This key has expired: its token no longer works and is not shown.';
  if (key.canReveal) {
    return key.type === 'personal'
      ? 'Masked: the key’s short id and the token’s last characters. A personal key: only you can reveal it. Each reveal and copy is recorded in the audit log.'
      : 'Masked: the key’s short id and the token’s last characters. Only the owner and admins can reveal it. Each reveal and copy is recorded in the audit log.';
  }
  return key.type === 'personal'
    ? 'A personal key: only its owner can see the token.'
    : 'Only the key’s owner and admins can see the whole token.';
}

export default async function ApiKeyPage({ params, searchParams }: { params: Params; searchParams: Search }) {
  const actor = await sessionActor();
  const { id } = await params;
  const search = await searchParams;
  const range = parseRange(search.range);
  const outcome = parseOutcome(search.outcome);
  let key: KeyDetail;
  try {
    key = await getApiKey(actor, id);
  } catch (error) {
    if (error instanceof AppError && error.code === 'key_not_found') notFound();
    throw error;
  }

  // The token is not rendered: Reveal and Copy ask for it (revealKeyAction), each an audit event.
  const [allJobs, history, origin, lastJobId, usage, log] = await Promise.all([
    listJobChoices(actor),
    listAuditEvents(actor, { target: `key:${key.id}`, limit: 20 }),
    headers().then(publicOrigin),
    lastStartedJobId(actor, key.id),
    getUsage(actor, key.id, range),
    listKeyRequests(actor, {
      keyId: key.id,
      outcome,
      after: typeof search.after === 'string' ? search.after : null,
    }),
  ]);
  const jobs = key.jobs.length ? key.jobs : allJobs;
  const endpoint = `${origin}/etl-mgr/api/apijob`;
  const live = key.status !== 'revoked' && key.status !== 'expired';

  return (
    <KeySecretProvider keyId={key.id} ask={key.canReveal ? revealKeyAction.bind(null, key.id) : null}>
      <Breadcrumb trail={[{ href: '/integrations/api-keys', label: 'Api Keys' }]} current={key.name} />
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-3">
            {key.name}
            <KeyStatusBadge status={key.status} />
          </span>
        }
        description={
          <>
            <span className="font-mono">{key.selector}</span> ·{' '}
            {key.type === 'personal' ? 'Personal' : 'Functional'} key of {key.owner.name || key.owner.email}
            {key.description ? <span className="mt-1 block">{key.description}</span> : null}
          </>
        }
        actions={
          key.canManage ? (
            <>
              <EditKeyButton
                name={key.name}
                description={key.description ?? ''}
                update={updateKeyAction.bind(null, key.id)}
              />
              {live && !key.rolledTo && key.status !== 'rolling' ? (
                <RollKeyButton name={key.name} roll={rollKeyAction.bind(null, key.id)} />
              ) : null}
              <RevokeKeyButton name={key.name} revoke={revokeKeyAction.bind(null, key.id)} />
            </>
          ) : key.canRevoke ? (
            // An owner who lost the editor role can still revoke their own key.
            <RevokeKeyButton name={key.name} revoke={revokeKeyAction.bind(null, key.id)} />
          ) : null
        }
      />

      <div className="flex flex-col gap-6">
        {live ? <FreshKeyBanner /> : null}
        {key.status === 'rolling' && key.rolledTo ? (
          <Alert tone="info">
            This key has been rolled: it is replaced by{' '}
            <Link
              href={`/integrations/api-keys/${key.rolledTo.id}`}
              prefetch={false}
              className="font-medium text-accent hover:underline"
            >
              its new key
            </Link>{' '}
            and stops working when the new key is first used, or at {formatTime(key.graceUntil)} at the
            latest.
          </Alert>
        ) : null}
        {key.status === 'revoked' && key.rolledTo ? (
          <Alert tone="info">
            Replaced by{' '}
            <Link
              href={`/integrations/api-keys/${key.rolledTo.id}`}
              prefetch={false}
              className="font-medium text-accent hover:underline"
            >
              its new key
            </Link>
            .
          </Alert>
        ) : null}

        <Card>
          <CardHeader
            title="Token"
            description="A JWT signed with HS256. Send it as the x-api-key header (or Authorization: Bearer)."
          />
          <CardBody className="flex flex-col gap-5">
            <KeyToken hint={keyHint(key.id, key.masked)} note={tokenNote(key)} />
            <div className="grid gap-4 md:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
              <JsonBlock id="decoded-header" title="Decoded header" value={key.header} />
              <JsonBlock id="decoded-payload" title="Decoded payload" value={key.payload} />
            </div>
          </CardBody>
        </Card>

        {live ? (
          <Card>
            <CardHeader
              title="Start a job with this key"
              description="Ready-to-paste requests; each one runs as pasted."
            />
            <CardBody>
              <KeySnippets
                endpoint={endpoint}
                jobs={jobs}
                defaultJob={defaultSnippetJob(jobs, lastJobId)}
                test={key.canManage ? testKeyAction.bind(null, key.id) : null}
              />
            </CardBody>
          </Card>
        ) : null}

        <KeyUsageView
          path={`/integrations/api-keys/${key.id}`}
          range={range}
          outcome={outcome}
          usage={usage}
          log={log}
        />

        <div className="grid gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
          <Card>
            <CardHeader title="Details" />
            <CardBody>
              <dl className="divide-y divide-border">
                <Detail label="Key id">
                  <code className="font-mono text-xs break-all">{key.id}</code>
                </Detail>
                <Detail label="Owner">
                  {key.owner.name ? `${key.owner.name} (${key.owner.email})` : key.owner.email}
                </Detail>
                <Detail label="Created">{formatTime(key.createdAt)}</Detail>
                <Detail label="Expires">
                  {key.expiresAt ? `${formatTime(key.expiresAt)} (${relativeTime(key.expiresAt)})` : 'Never'}
                </Detail>
                <Detail label="Last used">
                  {key.lastUsedAt ? (
                    <>
                      {formatTime(key.lastUsedAt)} ({relativeTime(key.lastUsedAt)})
                      {key.lastUsedIp ? (
                        <span className="block font-mono text-xs text-fg-muted">from {key.lastUsedIp}</span>
                      ) : null}
                    </>
                  ) : (
                    'Never'
                  )}
                </Detail>
                <Detail label="Jobs">
                  {key.jobs.length ? (
                    <span className="flex flex-wrap gap-1">
                      {key.jobs.map((j) => (
                        <Badge key={j.id}>{j.name}</Badge>
                      ))}
                    </span>
                  ) : (
                    'All jobs of the organisation'
                  )}
                </Detail>
                <Detail label="Rate limit">
                  {key.rateLimit === null
                    ? 'Organisation default'
                    : key.rateLimit === 0
                      ? 'None'
                      : `${key.rateLimit} requests a minute`}
                </Detail>
                {key.revokedAt ? <Detail label="Revoked">{formatTime(key.revokedAt)}</Detail> : null}
                {key.graceUntil && !key.revokedAt ? (
                  <Detail label="Grace until">{formatTime(key.graceUntil)}</Detail>
                ) : null}
                {key.rolledFrom ? (
                  <Detail label="Replaces">
                    <Link
                      href={`/integrations/api-keys/${key.rolledFrom.id}`}
                      prefetch={false}
                      className="text-accent hover:underline"
                    >
                      {key.rolledFrom.name} ({key.rolledFrom.id.slice(0, 8)}…)
                    </Link>
                  </Detail>
                ) : null}
                {key.rolledTo ? (
                  <Detail label="Replaced by">
                    <Link
                      href={`/integrations/api-keys/${key.rolledTo.id}`}
                      prefetch={false}
                      className="text-accent hover:underline"
                    >
                      {key.rolledTo.name} ({key.rolledTo.id.slice(0, 8)}…)
                    </Link>
                    <span className="block text-xs text-fg-muted">
                      {key.rolledTo.lastUsedAt
                        ? `first used, last ${relativeTime(key.rolledTo.lastUsedAt)}`
                        : 'not used yet'}
                    </span>
                  </Detail>
                ) : null}
              </dl>
            </CardBody>
          </Card>
          <section aria-labelledby="history-heading" className="min-w-0">
            <div className="mb-3 flex items-baseline justify-between gap-3">
              <h2 id="history-heading" className="text-base font-semibold text-fg">
                History
              </h2>
              <Link href={`/audit?target=key:${key.id}`} className="text-sm text-accent hover:underline">
                Full audit log
              </Link>
            </div>
            {history.items.length ? (
              <AuditTable rows={history.items} caption="History of this key" compact self={`key:${key.id}`} />
            ) : (
              <p className="text-sm text-fg-muted">Nothing recorded yet.</p>
            )}
          </section>
        </div>
      </div>
    </KeySecretProvider>
  );
}
