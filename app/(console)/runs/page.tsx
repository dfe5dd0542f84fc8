import type { Metadata } from 'next';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { requireSession } from '@/server/auth/session';

export const metadata: Metadata = { title: 'Runs' };

export default async function RunsPage() {
  await requireSession();
  return (
    <>
      <PageHeader title="Runs" description="Every start of a job, its status and its log." />
      <EmptyState title="No runs yet" description="Runs appear here as soon as a job is started from the console or the API." />
    </>
  );
}
