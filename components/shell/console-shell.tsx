import type { ReactNode } from 'react';
import { Toaster } from '@/components/ui/toaster';
import { Brand } from './brand';
import { SidebarNav } from './sidebar-nav';
import { InvitationBanner, type AnswerInvitation, type InvitationItem } from './invitation-banner';
import { OrgPicker } from './org-picker';
import { UserMenu, type OrgChoice } from './user-menu';

export interface ConsoleShellProps {
  orgName: string;
  user: { email: string; name: string | null };
  role: string;
  orgs: OrgChoice[];
  switchOrg: (orgId: string) => Promise<{ ok: boolean; message: string }>;
  invitations: InvitationItem[];
  answerInvitation: AnswerInvitation;
  children: ReactNode;
}

/** The signed-in frame: a skip link, the top bar (organisation, user menu), the navigation and main. */
export function ConsoleShell({
  orgName,
  user,
  role,
  orgs,
  switchOrg,
  invitations,
  answerInvitation,
  children,
}: ConsoleShellProps) {
  return (
    <div className="flex min-h-dvh flex-col">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-accent px-3 py-2 text-sm font-medium text-accent-fg focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
      >
        Skip to content
      </a>
      <header className="sticky top-0 z-10 flex h-14 shrink-0 items-center justify-between gap-4 border-b border-border bg-surface/95 px-4 backdrop-blur md:px-6">
        <div className="flex min-w-0 items-center gap-3">
          <Brand compact />
          <span aria-hidden="true" className="h-5 w-px bg-border-strong" />
          <OrgPicker orgs={orgs} orgName={orgName} switchOrg={switchOrg} />
        </div>
        <UserMenu email={user.email} name={user.name} role={role} orgs={orgs} switchOrg={switchOrg} />
      </header>
      <div className="flex flex-1 flex-col md:flex-row">
        {/* Not an <aside>: the navigation inside is the landmark, and pages have asides of their own. */}
        <div className="shrink-0 border-b border-border bg-surface px-3 py-3 md:w-60 md:border-r md:border-b-0 md:py-6">
          <SidebarNav />
        </div>
        <main id="main" tabIndex={-1} className="min-w-0 flex-1 px-4 py-6 focus:outline-none md:px-8 md:py-8">
          <div className="mx-auto max-w-6xl">
            {invitations.length > 0 ? (
              <InvitationBanner invitations={invitations} answer={answerInvitation} />
            ) : null}
            {children}
          </div>
        </main>
      </div>
      <Toaster />
    </div>
  );
}
