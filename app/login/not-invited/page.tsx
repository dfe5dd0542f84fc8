import type { Metadata } from 'next';
import { AuthShell } from '@/components/shell/auth-shell';
import Link from 'next/link';

export const metadata: Metadata = { title: 'No account yet' };

/** Where single sign-on sends a person who has no account here: nothing was created for them. */
export default async function NotInvitedPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const reason = (await searchParams).reason;
  const [title, text] =
    reason === 'password'
      ? [
          'Sign in with your password',
          'This address has an account with a password, and single sign-on is not linked to it. Sign in with the email and password instead; if you never chose that password, use “Forgot your password?” on the sign-in page, which mails you a link. An operator can also make the account single-sign-on only.',
        ]
      : reason === 'subject'
        ? [
            'Another identity owns this account',
            'The account for this address is linked to a different single-sign-on identity. Sign in with that identity, or ask the operator.',
          ]
        : [
            'No account yet',
            `${
              reason === 'unverified'
                ? 'Your identity provider did not confirm your email address, so it cannot be matched to an account.'
                : 'You signed in with your company account, but nobody has invited that email address here yet.'
            } Ask an admin of your organisation for an invitation, then sign in again.`,
          ];
  return (
    <AuthShell>
      <h1 className="text-xl font-semibold tracking-tight text-fg">{title}</h1>
      <p className="mt-3 text-sm text-fg-muted">{text}</p>
      <Link
        href="/login"
        className="mt-6 inline-block text-sm font-medium text-accent underline-offset-4 hover:underline"
      >
        Back to sign-in
      </Link>
    </AuthShell>
  );
}
