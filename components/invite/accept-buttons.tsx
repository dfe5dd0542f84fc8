'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { signIn } from 'next-auth/react';
import { useState, useTransition } from 'react';
import { useForm } from 'react-hook-form';
import { newAccountSchema, type NewAccountInput } from '@/lib/validations/member';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FieldError, FieldHint, Input, Label } from '@/components/ui/input';

type Result =
  { ok: true; email: string } | { ok: false; message: string; errors: { path: string; message: string }[] };

/** "Join" for a signed-in invitee. */
export function JoinButton({ orgName, accept }: { orgName: string; accept: () => Promise<Result> }) {
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="flex flex-col gap-3">
      {error ? <Alert tone="danger">{error}</Alert> : null}
      <Button
        disabled={pending}
        onClick={() =>
          start(async () => {
            const result = await accept();
            if (result && !result.ok) setError(result.message);
          })
        }
      >
        {pending ? 'Joining…' : `Join ${orgName}`}
      </Button>
    </div>
  );
}

const FIELDS = ['name', 'password', 'confirmPassword'] as const;

/** Someone new chooses a name and a password; the account is made for the invited email, then signed in. */
export function NewAccountForm({ create }: { create: (input: NewAccountInput) => Promise<Result> }) {
  const [error, setErrorText] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<NewAccountInput>({
    resolver: zodResolver(newAccountSchema),
    defaultValues: { name: '', password: '', confirmPassword: '' },
  });

  const onSubmit = handleSubmit(async (data) => {
    setErrorText(null);
    const result = await create(data);
    if (!result.ok) {
      const placed = result.errors.filter((e) => (FIELDS as readonly string[]).includes(e.path));
      placed.forEach((e, i) =>
        setError(
          e.path as (typeof FIELDS)[number],
          { type: 'server', message: e.message },
          { shouldFocus: i === 0 },
        ),
      );
      if (placed.length === 0) setErrorText(result.message);
      return;
    }
    const signedIn = await signIn('credentials', {
      email: result.email,
      password: data.password,
      redirect: false,
    });
    // A full navigation, so the whole console renders with the new session cookie.
    const next = signedIn?.ok && !signedIn.error ? '/jobs' : '/login?callbackUrl=%2Fjobs';
    window.location.assign(next);
  });

  const field = (
    name: (typeof FIELDS)[number],
    label: string,
    type: string,
    autoComplete: string,
    hint?: string,
  ) => (
    <div>
      <Label htmlFor={`new-${name}`}>{label}</Label>
      <Input
        id={`new-${name}`}
        type={type}
        autoComplete={autoComplete}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={`new-${name}-error`}
        {...register(name)}
      />
      {hint ? <FieldHint>{hint}</FieldHint> : null}
      <FieldError id={`new-${name}-error`}>{errors[name]?.message}</FieldError>
    </div>
  );

  return (
    <form method="post" noValidate onSubmit={onSubmit} className="flex flex-col gap-4">
      {error ? <Alert tone="danger">{error}</Alert> : null}
      {field('name', 'Your name', 'text', 'name', 'Optional.')}
      {field('password', 'Choose a password', 'password', 'new-password', 'At least 12 characters.')}
      {field('confirmPassword', 'The password again', 'password', 'new-password')}
      <Button type="submit" disabled={isSubmitting}>
        {isSubmitting ? 'Creating your account…' : 'Create account and join'}
      </Button>
    </form>
  );
}
