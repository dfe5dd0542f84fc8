import type { Metadata } from 'next';
import Link from 'next/link';
import { ForgotPasswordForm } from '@/components/account/forgot-password-form';
import { AuthShell } from '@/components/shell/auth-shell';
import { forgotPasswordAction } from './actions';

export const metadata: Metadata = { title: 'Forgot password' };

export default function ForgotPasswordPage() {
  return (
    <AuthShell>
      <h1 className="text-xl font-semibold tracking-tight text-fg">Forgot your password?</h1>
      <p className="mt-1 text-sm text-fg-muted">
        Give the email address of your account. We mail it a link to choose a new password.
      </p>
      <ForgotPasswordForm action={forgotPasswordAction} />
      <p className="mt-6 text-sm">
        <Link href="/login" className="text-accent underline-offset-4 hover:underline">
          Back to sign-in
        </Link>
      </p>
    </AuthShell>
  );
}
