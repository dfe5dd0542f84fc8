import type { Metadata } from 'next';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { requireSession } from '@/server/auth/session';

export const metadata: Metadata = { title: 'Members' };

export default async function MembersPage() {
  await requireSession();
  return (
    <>
      <PageHeader title="Members" description="The people of this organisation and their roles: owner, admin, editor or viewer." />
      <EmptyState title="Members will be listed here" description="Owners and admins will be able to invite people and change their roles." />
    </>
  );
}
