'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { signIn } from 'next-auth/react';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { resetPasswordSchema, type ResetPasswordInput } from '@/lib/validations/account';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FieldError, FieldHint, Input, Label } from '@/components/ui/input';

type Result =
  { ok: true; email: string } | { ok: false; message: string; errors: { path: string; message: string }[] };

const FIELDS = ['password', 'confirmPassword'] as const;

/** The new password, twice; then the browser signs in with it. */
export function ResetPasswordForm({ reset }: { reset: (input: ResetPasswordInput) => Promise<Result> }) {
  const [error, setErrorText] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<ResetPasswordInput>({
    resolver: zodResolver(resetPasswordSchema),
    defaultValues: { password: '', confirmPassword: '' },
  });

  const onSubmit = handleSubmit(async (data) => {
    setErrorText(null);
    const result = await reset(data);
    if (!result.ok) {
      const placed = result.errors.filter((e) => (FIELDS as readonly string[]).includes(e.path));
      placed.forEach((e) =>
        setError(e.path as (typeof FIELDS)[number], { type: 'server', message: e.message }),
      );
      if (placed.length === 0) setErrorText(result.message);
      return;
    }
    const signedIn = await signIn('credentials', {
      email: result.email,
      password: data.password,
      redirect: false,
    });
    window.location.assign(signedIn?.ok && !signedIn.error ? '/jobs' : '/login?callbackUrl=%2Fjobs');
  });

  return (
    <form method="post" noValidate onSubmit={onSubmit} className="mt-6 flex flex-col gap-4">
      {error ? <Alert tone="danger">{error}</Alert> : null}
      <div>
        <Label htmlFor="reset-password">New password</Label>
        <Input
          id="reset-password"
          type="password"
          autoComplete="new-password"
          aria-invalid={errors.password ? true : undefined}
          aria-describedby="reset-password-hint reset-password-error"
          {...register('password')}
        />
        <FieldHint id="reset-password-hint">At least 12 characters.</FieldHint>
        <FieldError id="reset-password-error">{errors.password?.message}</FieldError>
      </div>
      <div>
        <Label htmlFor="reset-confirm">The new password again</Label>
        <Input
          id="reset-confirm"
          type="password"
          autoComplete="new-password"
          aria-invalid={errors.confirmPassword ? true : undefined}
          aria-describedby="reset-confirm-error"
          {...register('confirmPassword')}
        />
        <FieldError id="reset-confirm-error">{errors.confirmPassword?.message}</FieldError>
      </div>
      <Button type="submit" disabled={isSubmitting}>
        {isSubmitting ? 'Saving…' : 'Save and sign in'}
      </Button>
    </form>
  );
}
