import type { Metadata } from 'next';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { requireSession } from '@/server/auth/session';

export const metadata: Metadata = { title: 'Jobs' };

export default async function JobsPage() {
  await requireSession();
  return (
    <>
      <PageHeader title="Jobs" description="The commands and HTTP calls this organisation can run, by hand or through the API." />
      <EmptyState title="No jobs yet" description="Jobs you define appear here, with their type, concurrency and last run." />
    </>
  );
}
