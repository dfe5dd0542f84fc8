import type { Metadata } from 'next';
import { ConnectionList } from '@/components/connections/connection-list';
import { CreateConnectionForm } from '@/components/connections/create-connection-form';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { roleAtLeast } from '@/server/auth/roles';
import { listConnections } from '@/server/connections/manage-connection';
import { sessionActor } from '@/server/members/session-actor';
import { createConnectionAction, deleteConnectionAction, replaceConnectionAction } from './actions';

export const metadata: Metadata = { title: 'Connections' };

export default async function ConnectionsPage() {
  const actor = await sessionActor();
  const connections = await listConnections(actor);
  const mayCreate = roleAtLeast(actor.role, 'editor');
  return (
    <>
      <PageHeader
        title="Connections"
        description="Credentials your jobs use by name. Secret fields are write-only: once saved, nobody can read them back here or through the API; only a worker opens them, when a run starts, and the run's log shows *** where they appear."
      />
      <div className="flex flex-col gap-6">
        <ConnectionList
          connections={connections}
          mayChangeShared={mayCreate}
          replace={replaceConnectionAction}
          remove={deleteConnectionAction}
        />
        {mayCreate ? (
          <Card>
            <CardHeader
              title="Add a connection"
              description='A job names it in its environment or headers as {"connection": "<name>", "field": "<field>"}.'
            />
            <CardBody>
              <CreateConnectionForm create={createConnectionAction} />
            </CardBody>
          </Card>
        ) : (
          <p className="text-sm text-fg-muted">Adding connections needs the editor role or higher.</p>
        )}
      </div>
    </>
  );
}
