'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { signIn } from 'next-auth/react';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FieldError, Input, Label } from '@/components/ui/input';
import { signInSchema, type SignInInput } from '@/lib/validations/auth';

export function LoginForm({ callbackUrl, initialError }: { callbackUrl: string; initialError?: string }) {
  const [error, setError] = useState<string | undefined>(initialError);
  const [navigating, setNavigating] = useState(false);
  const {
    register,
    handleSubmit,
    setFocus,
    formState: { errors, isSubmitting },
  } = useForm<SignInInput>({
    resolver: zodResolver(signInSchema),
    defaultValues: { email: '', password: '' },
  });

  const onSubmit = handleSubmit(async ({ email, password }) => {
    setError(undefined);
    let result: Awaited<ReturnType<typeof signIn>>;
    try {
      result = await signIn('credentials', { email, password, callbackUrl, redirect: false });
    } catch {
      result = undefined;
    }
    if (result?.ok && !result.error) {
      // A full navigation, so the whole console renders with the new session cookie.
      setNavigating(true);
      window.location.assign(callbackUrl);
      return;
    }
    setError(
      result?.error === 'CredentialsSignin'
        ? 'Incorrect email or password.'
        : result?.error === 'TooManyAttempts'
          ? 'Too many failed sign-ins: wait a moment (at most a minute), then try again.'
          : 'Sign-in failed. Please check your connection and try again.',
    );
    setFocus('password');
  });

  const busy = isSubmitting || navigating;

  return (
    <form method="post" noValidate className="mt-6 flex flex-col gap-4" onSubmit={onSubmit}>
      {error ? <Alert tone="danger">{error}</Alert> : null}
      <div>
        <Label htmlFor="email">Email</Label>
        <Input
          id="email"
          type="email"
          autoComplete="username"
          inputMode="email"
          autoFocus
          aria-invalid={errors.email ? true : undefined}
          aria-describedby={errors.email ? 'email-error' : undefined}
          {...register('email')}
        />
        <FieldError id="email-error">{errors.email?.message}</FieldError>
      </div>
      <div>
        <Label htmlFor="password">Password</Label>
        <Input
          id="password"
          type="password"
          autoComplete="current-password"
          aria-invalid={errors.password ? true : undefined}
          aria-describedby={errors.password ? 'password-error' : undefined}
          {...register('password')}
        />
        <FieldError id="password-error">{errors.password?.message}</FieldError>
      </div>
      <Button type="submit" className="mt-2 w-full" disabled={busy} aria-busy={busy || undefined}>
        {busy ? <Spinner /> : null}
        Sign in
      </Button>
    </form>
  );
}

function Spinner() {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" className="size-4 motion-safe:animate-spin">
      <circle cx="12" cy="12" r="9" fill="none" stroke="currentColor" strokeOpacity="0.3" strokeWidth="3" />
      <path
        d="M21 12a9 9 0 0 0-9-9"
        fill="none"
        stroke="currentColor"
        strokeWidth="3"
        strokeLinecap="round"
      />
    </svg>
  );
}
