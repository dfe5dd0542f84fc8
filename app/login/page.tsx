import type { Metadata } from 'next';
import { AuthShell } from '@/components/shell/auth-shell';
import { getServerSession } from 'next-auth';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { Alert } from '@/components/ui/alert';
import { safeCallbackUrl } from '@/server/auth/callback-url';
import { oidcSettings, OIDC_PROVIDER_ID, passwordSignInEnabled } from '@/server/auth/oidc';
import { authOptions } from '@/server/auth/options';
import { LoginForm } from './login-form';
import { SsoButton } from './sso-button';

export const metadata: Metadata = { title: 'Sign in' };

/** Messages for the `error` codes next-auth and requireSession put on /login. */
const ERRORS: Record<string, string> = {
  CredentialsSignin: 'Incorrect email or password.',
  TooManyAttempts: 'Too many failed sign-ins: wait a moment (at most a minute), then try again.',
  SessionRequired: 'Please sign in to continue.',
  SessionExpired: 'Your session has ended. Please sign in again.',
  NoMembership: 'Your account is not a member of any organisation. Ask an administrator for an invitation.',
  OAuthCallback: 'Single sign-on failed or was interrupted. Please try again.',
  OAuthSignin: 'Single sign-on could not start. Please try again.',
};

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(first(params.callbackUrl));
  const errorCode = first(params.error);

  // Already signed in and not sent here because of a problem: go on.
  if (!errorCode && (await getServerSession(authOptions))) redirect(callbackUrl);

  const initialError = errorCode ? (ERRORS[errorCode] ?? 'Sign-in failed. Please try again.') : undefined;
  const sso = oidcSettings();
  const passwords = passwordSignInEnabled();

  return (
    <AuthShell>
      <h1 className="text-xl font-semibold tracking-tight text-fg">Sign in</h1>
      <p className="mt-1 text-sm text-fg-muted">
        {passwords
          ? 'Use the email and password of your account.'
          : `Sign in through ${sso?.name ?? 'single sign-on'}.`}
      </p>
      {sso ? (
        <div className="mt-6">
          <SsoButton providerId={OIDC_PROVIDER_ID} name={sso.name} callbackUrl={callbackUrl} />
        </div>
      ) : null}
      {passwords ? (
        <>
          <LoginForm callbackUrl={callbackUrl} initialError={initialError} />
          <p className="mt-4 text-sm">
            <Link href="/login/forgot-password" className="text-accent underline underline-offset-2">
              Forgot your password?
            </Link>
          </p>
        </>
      ) : initialError ? (
        <div className="mt-4">
          <Alert tone="danger">{initialError}</Alert>
        </div>
      ) : null}
    </AuthShell>
  );
}
