import type { Metadata } from 'next';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { requireSession } from '@/server/auth/session';

export const metadata: Metadata = { title: 'Audit' };

export default async function AuditPage() {
  await requireSession();
  return (
    <>
      <PageHeader title="Audit" description="Who did what in this organisation, and when." />
      <EmptyState title="Nothing recorded yet" description="Key creations, reveals, revocations and job starts are listed here." />
    </>
  );
}
