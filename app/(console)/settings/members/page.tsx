import type { Metadata } from 'next';
import { AddMemberForm } from '@/components/members/add-member-form';
import { RoleSelect } from '@/components/members/role-select';
import { Badge } from '@/components/ui/badge';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { Table, TableCaption, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { ROLE_DESCRIPTIONS, ROLES, type RoleName } from '@/lib/validations/member';
import { atLeast } from '@/server/auth/actor';
import { listMembers } from '@/server/members/list-members';
import { sessionActor } from '@/server/members/session-actor';
import { addMemberAction, changeRoleAction } from './actions';

export const metadata: Metadata = { title: 'Members' };

export default async function MembersPage() {
  const actor = await sessionActor();
  const members = await listMembers(actor);
  const isAdmin = atLeast(actor.role, 'admin');
  const isOwner = actor.role === 'owner';
  const choicesFor = (role: RoleName): RoleName[] => {
    if (!isAdmin) return [];
    if (isOwner) return [...ROLES];
    return role === 'owner' ? [] : ROLES.filter((r) => r !== 'owner');
  };

  return (
    <>
      <PageHeader title="Members" description="The people of this organisation and their roles. Admins and owners add members and change roles." />
      <div className="flex flex-col gap-6">
        <section aria-labelledby="members-heading">
          <h2 id="members-heading" className="sr-only">
            Members
          </h2>
          <Table>
            <TableCaption className="sr-only">Members of this organisation</TableCaption>
            <THead>
              <tr>
                <TH>Member</TH>
                <TH>Role</TH>
                <TH>Active keys</TH>
                <TH>Joined</TH>
              </tr>
            </THead>
            <TBody>
              {members.map((m) => {
                const choices = choicesFor(m.role);
                return (
                  <TR key={m.userId}>
                    <TD>
                      <div className="font-medium">
                        {m.name || m.email}
                        {m.userId === actor.userId ? <span className="ml-2 text-xs font-normal text-fg-muted">(you)</span> : null}
                      </div>
                      {m.name ? <div className="text-xs text-fg-muted">{m.email}</div> : null}
                    </TD>
                    <TD>
                      {choices.length > 0 ? (
                        <RoleSelect userId={m.userId} email={m.email} role={m.role} choices={choices} change={changeRoleAction} />
                      ) : (
                        <Badge tone={m.role === 'owner' ? 'info' : 'neutral'}>{m.role[0].toUpperCase() + m.role.slice(1)}</Badge>
                      )}
                    </TD>
                    <TD className="text-fg-muted">{m.keyCount}</TD>
                    <TD className="font-mono text-xs text-fg-muted">{m.joinedAt.toISOString().slice(0, 10)}</TD>
                  </TR>
                );
              })}
            </TBody>
          </Table>
        </section>

        {isAdmin ? (
          <Card>
            <CardHeader title="Add a member" description="They sign in with this email and the first password you give them." />
            <CardBody>
              <AddMemberForm action={addMemberAction} canMakeOwners={isOwner} />
            </CardBody>
          </Card>
        ) : null}

        <Card>
          <CardHeader title="Roles" />
          <CardBody>
            <dl className="grid gap-3 sm:grid-cols-2">
              {ROLES.map((r) => (
                <div key={r}>
                  <dt className="text-sm font-medium text-fg">{r[0].toUpperCase() + r.slice(1)}</dt>
                  <dd className="text-sm text-fg-muted">{ROLE_DESCRIPTIONS[r]}</dd>
                </div>
              ))}
            </dl>
          </CardBody>
        </Card>
      </div>
    </>
  );
}
