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
  const unverified = (await searchParams).reason === 'unverified';
  return (
    <AuthShell>
      <h1 className="text-xl font-semibold tracking-tight text-fg">No account yet</h1>
      <p className="mt-3 text-sm text-fg-muted">
        {unverified
          ? 'Your identity provider did not confirm your email address, so it cannot be matched to an account.'
          : 'You signed in with your company account, but nobody has invited that email address here yet.'}{' '}
        Ask an admin of your organisation for an invitation, then sign in again.
      </p>
      <Link
        href="/login"
        className="mt-6 inline-block text-sm font-medium text-accent underline-offset-4 hover:underline"
      >
        Back to sign-in
      </Link>
    </AuthShell>
  );
}
