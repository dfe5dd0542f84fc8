import type { Metadata } from 'next';
import Link from 'next/link';
import { ResetPasswordForm } from '@/components/account/reset-password-form';
import { AuthShell } from '@/components/shell/auth-shell';
import { buttonClasses } from '@/components/ui/button';
import { resetLinkUsable } from '@/server/auth/password-reset';
import { resetPasswordAction } from './actions';

export const metadata: Metadata = { title: 'Choose a new password', referrer: 'no-referrer' };

export default async function ResetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const usable = await resetLinkUsable(token);
  return (
    <AuthShell>
      {usable ? (
        <>
          <h1 className="text-xl font-semibold tracking-tight text-fg">Choose a new password</h1>
          <p className="mt-1 text-sm text-fg-muted">
            Every browser signed in to this account is signed out; this one then signs in with the new
            password.
          </p>
          <ResetPasswordForm reset={resetPasswordAction.bind(null, token)} />
        </>
      ) : (
        <>
          <h1 className="text-xl font-semibold tracking-tight text-fg">This link cannot be used</h1>
          <p className="mt-2 text-sm text-fg-muted">
            It has been used, has expired (links work for 30 minutes) or is not right. Ask for a new one.
          </p>
          <Link
            href="/login/forgot-password"
            className={buttonClasses({ variant: 'secondary', className: 'mt-6' })}
          >
            Ask for a new link
          </Link>
        </>
      )}
    </AuthShell>
  );
}
