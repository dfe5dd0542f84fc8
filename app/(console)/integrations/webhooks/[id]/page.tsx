import { Breadcrumb } from '@/components/ui/breadcrumb';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { formatTime } from '@/components/runs/format';
import { Alert } from '@/components/ui/alert';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { DeliveryTable } from '@/components/webhooks/delivery-table';
import { EndpointActions, RedeliverButton } from '@/components/webhooks/endpoint-actions';
import { AppError } from '@/server/errors';
import { sessionActor } from '@/server/members/session-actor';
import { canManageWebhooks } from '@/server/webhooks/endpoint-access';
import { getWebhookEndpoint } from '@/server/webhooks/list-endpoints';
import {
  deleteWebhookAction,
  redeliverAction,
  rotateWebhookAction,
  setWebhookEnabledAction,
} from '../actions';

export const metadata: Metadata = { title: 'Webhook endpoint' };

export default async function WebhookEndpointPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await sessionActor();
  let found;
  try {
    found = await getWebhookEndpoint(actor, id);
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') notFound();
    throw error;
  }
  const { endpoint, deliveries } = found;
  const mayManage = canManageWebhooks(actor);
  return (
    <>
      <Breadcrumb trail={[{ href: '/integrations/webhooks', label: 'Webhooks' }]} />
      <PageHeader
        title={<span className="font-mono text-lg break-all">{endpoint.url}</span>}
        description={`Events: ${endpoint.events.join(', ')}${endpoint.jobIds.length ? ` · ${endpoint.jobIds.length} job(s) only` : ' · every job'}`}
      />
      <div className="flex flex-col gap-6">
        {!endpoint.enabled ? (
          <Alert tone="danger">
            This endpoint is off{endpoint.disabledAt ? ` since ${formatTime(endpoint.disabledAt)}` : ''}:{' '}
            {endpoint.disabledReason ?? 'turned off'}. Nothing is sent to it until it is turned on again.
          </Alert>
        ) : endpoint.failingSince ? (
          <Alert tone="danger">
            Deliveries have failed since {formatTime(endpoint.failingSince)}. After 3 days of failures the
            endpoint is turned off.
          </Alert>
        ) : null}
        {mayManage ? (
          <EndpointActions
            enabled={endpoint.enabled}
            rotate={rotateWebhookAction.bind(null, endpoint.id)}
            setEnabled={setWebhookEnabledAction.bind(null, endpoint.id)}
            remove={deleteWebhookAction.bind(null, endpoint.id)}
          />
        ) : null}
        <Card>
          <CardHeader
            title="Deliveries"
            description="The latest 50. A failed attempt is retried with growing gaps (about a day in all) under the same webhook-id."
          />
          <CardBody>
            <DeliveryTable
              deliveries={deliveries}
              redeliver={(deliveryId) =>
                mayManage ? (
                  <RedeliverButton redeliver={redeliverAction.bind(null, endpoint.id, deliveryId)} />
                ) : null
              }
            />
          </CardBody>
        </Card>
      </div>
    </>
  );
}
