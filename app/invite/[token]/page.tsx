import type { Metadata } from 'next';
import { AuthShell } from '@/components/shell/auth-shell';
import Link from 'next/link';
import { JoinButton, NewAccountForm } from '@/components/invite/accept-buttons';
import { buttonClasses } from '@/components/ui/button';
import { loginUrlFor } from '@/server/auth/callback-url';
import { currentUser } from '@/server/auth/session';
import { invitationByToken } from '@/server/members/accept-invitation';
import { acceptAsNewUserAction, acceptInvitationLinkAction } from './actions';

export const metadata: Metadata = { title: 'Invitation', referrer: 'no-referrer' };

const GONE = {
  accepted: 'has already been used',
  revoked: 'has been revoked',
  expired: 'has expired',
} as const;

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const [invitation, current] = await Promise.all([invitationByToken(token), currentUser()]);
  const path = `/invite/${token}`;

  let body: React.ReactNode;
  if (!invitation || invitation.state !== 'pending') {
    body = (
      <>
        <h1 className="text-xl font-semibold tracking-tight text-fg">This invitation cannot be used</h1>
        <p className="mt-2 text-sm text-fg-muted">
          {invitation ? `It ${GONE[invitation.state as keyof typeof GONE]}.` : 'The link is not right.'} Ask
          whoever invited you for a new one.
        </p>
        <Link href="/login" className={buttonClasses({ variant: 'secondary', className: 'mt-6' })}>
          Go to sign-in
        </Link>
      </>
    );
  } else {
    const title = `Join ${invitation.org.name}`;
    const what = `You are invited as ${invitation.role}. The invitation is for ${invitation.email} and expires on ${invitation.expiresAt.toISOString().slice(0, 10)}.`;
    body = (
      <>
        <h1 className="text-xl font-semibold tracking-tight text-fg">{title}</h1>
        <p className="mt-2 text-sm text-fg-muted">{what}</p>
        <div className="mt-6">
          {current && current.user.email === invitation.email ? (
            <JoinButton orgName={invitation.org.name} accept={acceptInvitationLinkAction.bind(null, token)} />
          ) : current ? (
            <p className="text-sm text-fg">
              You are signed in as {current.user.email}. Sign out, then open this link again and sign in as{' '}
              {invitation.email}.
            </p>
          ) : (
            <div className="flex flex-col gap-6">
              <div>
                <p className="text-sm text-fg">Have an account for {invitation.email}?</p>
                <Link
                  href={loginUrlFor(path)}
                  className={buttonClasses({ variant: 'secondary', className: 'mt-2 w-full' })}
                >
                  Sign in to accept
                </Link>
              </div>
              <div className="border-t border-border pt-6">
                <p className="mb-4 text-sm text-fg">New here? Choose a password for {invitation.email}.</p>
                <NewAccountForm create={acceptAsNewUserAction.bind(null, token)} />
              </div>
            </div>
          )}
        </div>
      </>
    );
  }

  return <AuthShell>{body}</AuthShell>;
}
