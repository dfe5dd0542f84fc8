import type { Metadata } from 'next';
import Link from 'next/link';
import { CreateKeyForm } from '@/components/api-keys/create-key-form';
import { Alert } from '@/components/ui/alert';
import { PageHeader } from '@/components/ui/page-header';
import { canCreateKeys } from '@/server/keys/key-access';
import { signingSecret } from '@/server/keys/keyring';
import { listJobChoices } from '@/server/keys/list-job-choices';
import { sessionActor } from '@/server/members/session-actor';
import { createKeyAction } from '../actions';

export const metadata: Metadata = { title: 'Create API key' };

export default async function NewApiKeyPage() {
  const actor = await sessionActor();
  const header = (
    <PageHeader
      title="Create API key"
      description={
        <>
          <Link href="/integrations/api-keys" className="text-accent underline underline-offset-2">
            Api Keys
          </Link>{' '}
          / New key. Programs send the key as the <code>x-api-key</code> header to start this
          organisation&apos;s jobs.
        </>
      }
    />
  );
  if (!canCreateKeys(actor)) {
    return (
      <>
        {header}
        <Alert tone="info">
          Viewers cannot create API keys. Ask an admin of your organisation for the editor role.
        </Alert>
      </>
    );
  }
  const jobs = await listJobChoices(actor);
  const renderedAt = new Date().getTime();
  return (
    <>
      {header}
      <CreateKeyForm
        action={createKeyAction}
        orgSlug={actor.orgSlug}
        kid={signingSecret().kid}
        jobs={jobs}
        now={renderedAt}
      />
    </>
  );
}
