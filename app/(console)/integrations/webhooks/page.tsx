import type { Metadata } from 'next';
import Link from 'next/link';
import { formatTime } from '@/components/runs/format';
import { Badge } from '@/components/ui/badge';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { CreateWebhookForm } from '@/components/webhooks/create-webhook-form';
import { listJobChoices } from '@/server/keys/list-job-choices';
import { sessionActor } from '@/server/members/session-actor';
import { canManageWebhooks } from '@/server/webhooks/endpoint-access';
import { listWebhookEndpoints } from '@/server/webhooks/list-endpoints';
import { createWebhookAction } from './actions';

export const metadata: Metadata = { title: 'Webhooks' };

export default async function WebhooksPage() {
  const actor = await sessionActor();
  const [endpoints, jobs] = await Promise.all([listWebhookEndpoints(actor), listJobChoices(actor)]);
  const mayManage = canManageWebhooks(actor);
  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Endpoints hear when runs start and end and when keys are revoked: each delivery is a signed POST (Standard Webhooks), retried for about a day until it is answered with a 2xx."
      />
      <div className="flex flex-col gap-6">
        {endpoints.length === 0 ? (
          <p className="rounded-lg border border-dashed border-border-strong bg-surface px-4 py-6 text-center text-sm text-fg-muted">
            No endpoints yet.
          </p>
        ) : (
          <Table>
            <caption className="sr-only">Webhook endpoints</caption>
            <THead>
              <TR>
                <TH>URL</TH>
                <TH>Events</TH>
                <TH>State</TH>
                <TH>Created</TH>
              </TR>
            </THead>
            <TBody>
              {endpoints.map((e) => (
                <TR key={e.id}>
                  <TD className="max-w-md truncate font-mono">
                    <Link href={`/integrations/webhooks/${e.id}`} className="text-accent hover:underline">
                      {e.url}
                    </Link>
                  </TD>
                  <TD className="font-mono text-xs">{e.events.join(', ')}</TD>
                  <TD>
                    {e.enabled ? (
                      e.failingSince ? (
                        <Badge tone="warning">Failing since {formatTime(e.failingSince)}</Badge>
                      ) : (
                        <Badge tone="success">On</Badge>
                      )
                    ) : (
                      <Badge tone="danger">Off</Badge>
                    )}
                  </TD>
                  <TD className="whitespace-nowrap">{formatTime(e.createdAt)}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
        {mayManage ? (
          <Card>
            <CardHeader
              title="Add an endpoint"
              description="Its signing secret is shown once, right after it is added."
            />
            <CardBody>
              <CreateWebhookForm jobs={jobs} create={createWebhookAction} />
            </CardBody>
          </Card>
        ) : (
          <p className="text-sm text-fg-muted">Adding and changing endpoints needs the admin role.</p>
        )}
      </div>
    </>
  );
}
