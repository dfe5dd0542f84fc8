import type { Metadata } from 'next';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { InviteForm } from '@/components/members/invite-form';
import { RoleSelect } from '@/components/members/role-select';
import { Badge } from '@/components/ui/badge';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { Table, TableCaption, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { ROLE_DESCRIPTIONS, ROLES, type RoleName } from '@/lib/validations/member';
import { roleAtLeast } from '@/server/auth/roles';
import { listPendingInvitations } from '@/server/members/invitations';
import { listMembers } from '@/server/members/list-members';
import { sessionActor } from '@/server/members/session-actor';
import {
  changeRoleAction,
  inviteMemberAction,
  leaveOrganizationAction,
  removeMemberAction,
  revokeInvitationAction,
} from './actions';

export const metadata: Metadata = { title: 'Members' };

type Member = Awaited<ReturnType<typeof listMembers>>[number];
type Invitation = Awaited<ReturnType<typeof listPendingInvitations>>[number];
const roleLabel = (role: string) => role[0].toUpperCase() + role.slice(1);

function MemberRow({
  m,
  you,
  isAdmin,
  isOwner,
  choices,
}: {
  m: Member;
  you: boolean;
  isAdmin: boolean;
  isOwner: boolean;
  choices: RoleName[];
}) {
  return (
    <TR>
      <TD label="Member">
        <div className="font-medium">
          {m.name || m.email}
          {you ? <span className="ml-2 text-xs font-normal text-fg-muted">(you)</span> : null}
        </div>
        {m.name ? <div className="text-xs text-fg-muted">{m.email}</div> : null}
      </TD>
      <TD label="Role">
        {choices.length > 0 ? (
          <RoleSelect
            userId={m.userId}
            email={m.email}
            role={m.role}
            choices={choices}
            change={changeRoleAction}
          />
        ) : (
          <Badge tone={m.role === 'owner' ? 'info' : 'neutral'}>{roleLabel(m.role)}</Badge>
        )}
      </TD>
      <TD label="Active keys" className="text-fg-muted">
        {m.keyCount}
      </TD>
      <TD label="Joined" className="font-mono text-xs text-fg-muted">
        {m.joinedAt.toISOString().slice(0, 10)}
      </TD>
      {isAdmin ? (
        <TD label="Actions" className="text-right">
          {!you && (isOwner || m.role !== 'owner') ? (
            <ConfirmButton
              label="Remove"
              aria-label={`Remove ${m.email}`}
              title={`Remove ${m.email}?`}
              description="They lose access on their next click, and their API keys in this organisation stop working."
              confirmLabel="Remove"
              action={removeMemberAction.bind(null, m.userId)}
            />
          ) : null}
        </TD>
      ) : null}
    </TR>
  );
}

/** Invitations not yet accepted, each revocable. */
function Invitations({ invitations }: { invitations: Invitation[] }) {
  return (
    <section aria-labelledby="invitations-heading">
      <h2 id="invitations-heading" className="mb-3 text-base font-semibold text-fg">
        Pending invitations
      </h2>
      <Table stack>
        <TableCaption className="sr-only">Invitations not yet accepted</TableCaption>
        <THead>
          <tr>
            <TH>Email</TH>
            <TH>Role</TH>
            <TH>Expires</TH>
            <TH>
              <span className="sr-only">Actions</span>
            </TH>
          </tr>
        </THead>
        <TBody>
          {invitations.map((inv) => (
            <TR key={inv.id}>
              <TD label="Email">{inv.email}</TD>
              <TD label="Role">{roleLabel(inv.role)}</TD>
              <TD label="Expires" className="font-mono text-xs text-fg-muted">
                {inv.expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC
              </TD>
              <TD label="Actions" className="text-right">
                <ConfirmButton
                  label="Revoke"
                  aria-label={`Revoke the invitation of ${inv.email}`}
                  title={`Revoke the invitation of ${inv.email}?`}
                  description="Its link stops working at once."
                  confirmLabel="Revoke"
                  action={revokeInvitationAction.bind(null, inv.id)}
                />
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
    </section>
  );
}

/** What each role may do. */
function RolesCard() {
  return (
    <Card>
      <CardHeader title="Roles" />
      <CardBody>
        <dl className="grid gap-3 sm:grid-cols-2">
          {ROLES.map((r) => (
            <div key={r}>
              <dt className="text-sm font-medium text-fg">{roleLabel(r)}</dt>
              <dd className="text-sm text-fg-muted">{ROLE_DESCRIPTIONS[r]}</dd>
            </div>
          ))}
        </dl>
      </CardBody>
    </Card>
  );
}

/** Leave the organisation; the sole owner cannot (an organisation keeps an owner), so is told why instead. */
function LeaveAction({ soleOwner }: { soleOwner: boolean }) {
  return soleOwner ? (
    <p className="max-w-64 text-sm text-fg-muted">
      You are its only owner: make someone else owner before you can leave.
    </p>
  ) : (
    <ConfirmButton
      label="Leave organisation"
      title="Leave this organisation?"
      description="You lose access to its jobs, runs and keys at once, and your keys in it stop working. An organisation keeps at least one owner."
      confirmLabel="Leave"
      action={leaveOrganizationAction}
    />
  );
}

export default async function MembersPage() {
  const actor = await sessionActor();
  const isAdmin = roleAtLeast(actor.role, 'admin');
  const [members, invitations] = await Promise.all([
    listMembers(actor),
    isAdmin ? listPendingInvitations(actor) : [],
  ]);
  const isOwner = actor.role === 'owner';
  const soleOwner = isOwner && members.filter((m) => m.role === 'owner').length === 1;
  const choicesFor = (role: RoleName): RoleName[] => {
    if (!isAdmin) return [];
    if (isOwner) return [...ROLES];
    return role === 'owner' ? [] : ROLES.filter((r) => r !== 'owner');
  };

  return (
    <>
      <PageHeader
        title="Members"
        description="The people of this organisation and their roles. Admins and owners invite and remove members and change roles."
        actions={<LeaveAction soleOwner={soleOwner} />}
      />
      <div className="flex flex-col gap-6">
        <section aria-labelledby="members-heading">
          <h2 id="members-heading" className="sr-only">
            Members
          </h2>
          <Table stack>
            <TableCaption className="sr-only">Members of this organisation</TableCaption>
            <THead>
              <tr>
                <TH>Member</TH>
                <TH>Role</TH>
                <TH>Active keys</TH>
                <TH>Joined</TH>
                {isAdmin ? (
                  <TH>
                    <span className="sr-only">Actions</span>
                  </TH>
                ) : null}
              </tr>
            </THead>
            <TBody>
              {members.map((m) => (
                <MemberRow
                  key={m.userId}
                  m={m}
                  you={m.userId === actor.userId}
                  isAdmin={isAdmin}
                  isOwner={isOwner}
                  choices={choicesFor(m.role)}
                />
              ))}
            </TBody>
          </Table>
        </section>

        {isAdmin ? (
          <Card>
            <CardHeader
              title="Invite a member"
              description="The invitation is mailed to the address: its link works once, for 7 days, and proves the address. Whoever has an account signs in to accept; someone new sets a password."
            />
            <CardBody>
              <InviteForm action={inviteMemberAction} canInviteOwners={isOwner} />
            </CardBody>
          </Card>
        ) : null}

        {isAdmin && invitations.length > 0 ? <Invitations invitations={invitations} /> : null}

        <RolesCard />
      </div>
    </>
  );
}
