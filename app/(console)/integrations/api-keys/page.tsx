import type { Metadata } from 'next';
import Link from 'next/link';
import { KeyFilters } from '@/components/api-keys/key-filters';
import { KeyTable } from '@/components/api-keys/key-table';
import { Pagination } from '@/components/runs/pagination';
import { buttonClasses } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { canCreateKeys } from '@/server/keys/key-access';
import { KEY_STATUSES, type KeyStatus } from '@/server/keys/key-status';
import { listApiKeys } from '@/server/keys/list-keys';
import { sessionActor } from '@/server/members/session-actor';

export const metadata: Metadata = { title: 'Api Keys' };

type Search = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

const KeyIcon = (
  <svg viewBox="0 0 20 20" className="size-5">
    <path
      fill="currentColor"
      d="M12.5 2a5.5 5.5 0 0 0-5.3 7L2.3 13.9a1 1 0 0 0-.3.7V17a1 1 0 0 0 1 1h2.5a1 1 0 0 0 1-1v-1h1a1 1 0 0 0 1-1v-1h1a1 1 0 0 0 .7-.3l.8-.8A5.5 5.5 0 1 0 12.5 2Zm1.5 3a1 1 0 1 1 0 2 1 1 0 0 1 0-2Z"
    />
  </svg>
);

export default async function ApiKeysPage({ searchParams }: { searchParams: Search }) {
  const actor = await sessionActor();
  const params = await searchParams;
  const q = one(params.q).slice(0, 200);
  const status = (KEY_STATUSES as readonly string[]).includes(one(params.status))
    ? (one(params.status) as KeyStatus)
    : undefined;
  const cursor = one(params.cursor).slice(0, 200) || null;
  const { keys, older, newer } = await listApiKeys(actor, { q, status, cursor });
  const href = (target: string | null) => {
    const query = new URLSearchParams();
    if (q) query.set('q', q);
    if (status) query.set('status', status);
    if (target) query.set('cursor', target);
    const s = query.toString();
    return s ? `/integrations/api-keys?${s}` : '/integrations/api-keys';
  };
  const mayCreate = canCreateKeys(actor);
  const createButton = mayCreate ? (
    <Link href="/integrations/api-keys/new" className={buttonClasses()}>
      Create API key
    </Link>
  ) : null;
  const filtered = Boolean(q || status || cursor);

  return (
    <>
      <PageHeader
        title="Api Keys"
        description="Keys let programs start this organisation's jobs through the job API. Each key is a signed token sent as the x-api-key header."
        actions={keys.length > 0 || filtered ? createButton : null}
      />
      {keys.length === 0 && !filtered ? (
        <EmptyState
          icon={KeyIcon}
          title="No API keys yet"
          description={
            <>
              An API key lets a program, a pipeline or a script start this organisation&apos;s jobs: it sends
              the key as the <code>x-api-key</code> header to <code>POST /etl-mgr/api/apijob</code>. Create
              one, then copy a ready-made cURL, Python, JavaScript or Java snippet from its page.
              {mayCreate ? null : ' Ask an editor or admin to create one.'}
            </>
          }
          action={createButton}
        />
      ) : (
        <>
          <KeyFilters q={q} status={status ?? ''} />
          {keys.length === 0 ? (
            <EmptyState
              title="No keys match"
              description="Try another search or status."
              action={
                <Link href="/integrations/api-keys" className={buttonClasses({ variant: 'secondary' })}>
                  Clear filters
                </Link>
              }
            />
          ) : (
            <>
              <KeyTable keys={keys} caption="API keys of this organisation" />
              {older || newer ? (
                <Pagination count={keys.length} older={older} newer={newer} href={href} noun="keys" />
              ) : null}
              <p className="mt-3 text-xs text-fg-muted">
                {keys.length} {keys.length === 1 ? 'key' : 'keys'}
                {older || newer ? ' on this page' : filtered ? ' match' : ''}. Tokens are shown masked; open a
                key to see its token (owner and admins) and snippets.
              </p>
            </>
          )}
        </>
      )}
    </>
  );
}
