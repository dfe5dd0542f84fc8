import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { SwitchedNotice } from '@/components/shell/switched-notice';
import { followLinkToOwnOrg } from '@/server/members/follow-link';
import { formatTime, keyHint } from '@/components/api-keys/format';
import { JsonBlock } from '@/components/api-keys/json-block';
import { EditKeyButton, RevokeKeyButton, RollKeyButton } from '@/components/api-keys/key-actions';
import { KeyStatusBadge } from '@/components/api-keys/key-status-badge';
import { FreshKeyBanner, KeySecretProvider, KeyToken } from '@/components/api-keys/key-secret';
import { KeySnippets } from '@/components/api-keys/key-snippets';
import { KeyUsageView } from '@/components/api-keys/key-usage-view';
import { defaultSnippetJob } from '@/components/api-keys/snippets';
import { Alert } from '@/components/ui/alert';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { listAuditEvents } from '@/server/audit/list-audit-events';
import { AppError } from '@/server/errors';
import { getApiKey, type KeyDetail } from '@/server/keys/get-key';
import { lastStartedJobId } from '@/server/keys/last-started-job';
import { listSnippetJobs } from '@/server/keys/list-job-choices';
import { publicUrl } from '@/server/config';
import { getUsage } from '@/server/keys/usage/get-usage';
import { listKeyRequests } from '@/server/keys/usage/list-requests';
import { sessionActor } from '@/server/members/session-actor';
import { parseOutcome, parseRange } from '@/lib/key-usage';
import {
  confirmPasswordAction,
  revealKeyAction,
  revokeKeyAction,
  rollKeyAction,
  testKeyAction,
  updateKeyAction,
} from '../actions';
import { Breadcrumb } from '@/components/ui/breadcrumb';
import { DetailsCard, History } from './key-details';

export const metadata: Metadata = { title: 'API key' };

type Params = Promise<{ id: string }>;
type Search = Promise<Record<string, string | string[] | undefined>>;

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

/** The key's name, status and owner, and what this person may do with it. */
function KeyHeader({ keyDetail: k, live }: { keyDetail: KeyDetail; live: boolean }) {
  return (
    <PageHeader
      title={
        <span className="flex flex-wrap items-center gap-3">
          {k.name}
          <KeyStatusBadge status={k.status} />
        </span>
      }
      description={
        <>
          Signed as app <code className="font-mono">{String(k.payload.app)}</code>, uid{' '}
          <code className="font-mono">{k.selector}</code> ·{' '}
          {k.type === 'personal' ? 'Personal' : 'Functional'} key of {k.owner.name || k.owner.email}
          {k.rolledFrom ? (
            <span className="mt-1 block">Rolled on {k.createdAt.toISOString().slice(0, 10)}</span>
          ) : null}
          {k.description ? <span className="mt-1 block">{k.description}</span> : null}
        </>
      }
      actions={
        k.canManage ? (
          <>
            <EditKeyButton
              name={k.name}
              description={k.description ?? ''}
              update={updateKeyAction.bind(null, k.id)}
            />
            {live && !k.rolledTo && k.status !== 'rolling' ? (
              <RollKeyButton name={k.name} roll={rollKeyAction.bind(null, k.id)} />
            ) : null}
            <RevokeKeyButton name={k.name} revoke={revokeKeyAction.bind(null, k.id)} />
          </>
        ) : k.canRevoke ? (
          // An owner who lost the editor role can still revoke their own k.
          <RevokeKeyButton name={k.name} revoke={revokeKeyAction.bind(null, k.id)} />
        ) : null
      }
    />
  );
}

/** Whether a newer key replaces this one, and until when this one works. */
function RolloverAlerts({ keyDetail: k }: { keyDetail: KeyDetail }) {
  return (
    <>
      {k.status === 'rolling' && k.rolledTo ? (
        <Alert tone="info">
          This key has been rolled: it is replaced by{' '}
          <Link
            href={`/integrations/api-keys/${k.rolledTo.id}`}
            prefetch={false}
            className="font-medium text-accent hover:underline"
          >
            its new key
          </Link>{' '}
          and stops working when the new key is first used, or at {formatTime(k.graceUntil)} at the latest.
        </Alert>
      ) : null}
      {k.status === 'revoked' && k.rolledTo ? (
        <Alert tone="info">
          Replaced by{' '}
          <Link
            href={`/integrations/api-keys/${k.rolledTo.id}`}
            prefetch={false}
            className="font-medium text-accent hover:underline"
          >
            its new key
          </Link>
          .
        </Alert>
      ) : null}
    </>
  );
}

/** The token, masked until revealed, and its decoded header and payload. */
function TokenCard({ keyDetail: k }: { keyDetail: KeyDetail }) {
  return (
    <Card>
      <CardHeader
        title="Token"
        description="A JWT signed with HS256. Send it as the x-api-key header (or Authorization: Bearer)."
      />
      <CardBody className="flex flex-col gap-5">
        <KeyToken hint={keyHint(k.id, k.masked)} note={tokenNote(k)} />
        <div className="grid gap-4 md:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
          <JsonBlock id="decoded-header" title="Decoded header" value={k.header} />
          <JsonBlock id="decoded-payload" title="Decoded payload" value={k.payload} />
        </div>
      </CardBody>
    </Card>
  );
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
    if (error instanceof AppError && error.code === 'key_not_found') {
      await followLinkToOwnOrg(actor, 'key', id, `/integrations/api-keys/${id}`);
      notFound();
    }
    throw error;
  }

  // The token is not rendered: Reveal and Copy ask for it (revealKeyAction), each an audit event.
  const [allJobs, history, origin, lastJobId, usage, log] = await Promise.all([
    listSnippetJobs(actor),
    listAuditEvents(actor, { target: `key:${key.id}`, limit: 20 }),
    publicUrl(),
    lastStartedJobId(actor, key.id),
    getUsage(actor, key.id, range),
    listKeyRequests(actor, {
      keyId: key.id,
      outcome,
      after: typeof search.after === 'string' ? search.after : null,
    }),
  ]);
  const jobs = key.jobs.length ? allJobs.filter((j) => key.jobs.some((k) => k.id === j.id)) : allJobs;
  const endpoint = `${origin}/etl-mgr/api/apijob`;
  const live = key.status !== 'revoked' && key.status !== 'expired';

  return (
    <KeySecretProvider
      keyId={key.id}
      ask={key.canReveal ? revealKeyAction.bind(null, key.id) : null}
      confirm={confirmPasswordAction}
    >
      <SwitchedNotice switched={search.switched} orgSlug={actor.orgSlug} />
      <Breadcrumb trail={[{ href: '/integrations/api-keys', label: 'Api Keys' }]} current={key.name} />
      <KeyHeader keyDetail={key} live={live} />

      <div className="flex flex-col gap-6">
        {live ? <FreshKeyBanner /> : null}
        <RolloverAlerts keyDetail={key} />

        <TokenCard keyDetail={key} />

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
          <DetailsCard keyDetail={key} />
          <History keyId={key.id} history={history} />
        </div>
      </div>
    </KeySecretProvider>
  );
}
