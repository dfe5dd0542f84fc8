import type { Metadata } from 'next';
import { KeyUsageView } from '@/components/api-keys/key-usage-view';
import { PageHeader } from '@/components/ui/page-header';
import { parseOutcome, parseRange } from '@/lib/key-usage';
import { getUsage } from '@/server/keys/usage/get-usage';
import { listKeyRequests } from '@/server/keys/usage/list-requests';
import { sessionActor } from '@/server/members/session-actor';

export const metadata: Metadata = { title: 'API usage' };

type Search = Promise<Record<string, string | string[] | undefined>>;

/** Every key of the organisation: requests by outcome and the request log. */
export default async function UsagePage({ searchParams }: { searchParams: Search }) {
  const actor = await sessionActor();
  const search = await searchParams;
  const range = parseRange(search.range);
  const outcome = parseOutcome(search.outcome);
  const [usage, log] = await Promise.all([
    getUsage(actor, null, range),
    listKeyRequests(actor, {
      keyId: null,
      outcome,
      after: typeof search.after === 'string' ? search.after : null,
    }),
  ]);
  return (
    <>
      <PageHeader
        title="API usage"
        description="Requests to the job API made with this organisation’s keys, accepted and refused."
      />
      <KeyUsageView
        path="/integrations/usage"
        range={range}
        outcome={outcome}
        usage={usage}
        log={log}
        showKey
      />
    </>
  );
}
