import type { ReactNode } from 'react';
import { ConsoleShell } from '@/components/shell/console-shell';
import { requireSession } from '@/server/auth/session';
import { invitationsFor } from '@/server/members/accept-invitation';
import { answerInvitationAction, switchOrganizationAction } from './org-actions';

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const { user, org, role, orgs } = await requireSession();
  const invitations = await invitationsFor(user.email);
  return (
    <ConsoleShell
      orgName={org.name}
      user={{ email: user.email, name: user.name }}
      role={role}
      orgs={orgs.map((o) => ({ id: o.id, name: o.name, role: o.role, current: o.id === org.id }))}
      switchOrg={switchOrganizationAction}
      invitations={invitations
        .filter((i) => !orgs.some((o) => o.id === i.org.id))
        .map((i) => ({ id: i.id, orgName: i.org.name, role: i.role }))}
      answerInvitation={answerInvitationAction}
    >
      {children}
    </ConsoleShell>
  );
}
