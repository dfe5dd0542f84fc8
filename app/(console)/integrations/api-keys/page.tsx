import type { Metadata } from 'next';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { requireSession } from '@/server/auth/session';

export const metadata: Metadata = { title: 'Api Keys' };

export default async function ApiKeysPage() {
  await requireSession();
  return (
    <>
      <PageHeader title="Api Keys" description="Keys let programs start this organisation's jobs through the job API." />
      <EmptyState
        title="No API keys yet"
        description="Create a key, copy its token once, and send it as the x-api-key header to POST /etl-mgr/api/apijob."
      />
    </>
  );
}
