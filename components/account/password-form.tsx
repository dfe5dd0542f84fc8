'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { changePasswordSchema, type ChangePasswordInput } from '@/lib/validations/account';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FieldError, FieldHint, Input, Label } from '@/components/ui/input';

type Result =
  { ok: true; message: string } | { ok: false; message: string; errors: { path: string; message: string }[] };
const FIELDS = ['currentPassword', 'newPassword', 'confirmPassword'] as const;

/** Current password, the new one twice; a change signs out every other session. */
export function PasswordForm({ action }: { action: (input: ChangePasswordInput) => Promise<Result> }) {
  const [notice, setNotice] = useState<{ tone: 'success' | 'danger'; text: string } | null>(null);
  const empty = { currentPassword: '', newPassword: '', confirmPassword: '' };
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<ChangePasswordInput>({ resolver: zodResolver(changePasswordSchema), defaultValues: empty });

  const onSubmit = handleSubmit(async (data) => {
    setNotice(null);
    const result = await action(data);
    if (result.ok) {
      reset(empty);
      setNotice({ tone: 'success', text: result.message });
      return;
    }
    let placed = false;
    for (const e of result.errors) {
      if ((FIELDS as readonly string[]).includes(e.path)) {
        setError(
          e.path as (typeof FIELDS)[number],
          { type: 'server', message: e.message },
          { shouldFocus: !placed },
        );
        placed = true;
      }
    }
    if (!placed) setNotice({ tone: 'danger', text: result.message });
  });

  const field = (name: (typeof FIELDS)[number], label: string, autoComplete: string, hint?: string) => (
    <div>
      <Label htmlFor={`account-${name}`}>{label}</Label>
      <Input
        id={`account-${name}`}
        type="password"
        autoComplete={autoComplete}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={`account-${name}-error`}
        {...register(name)}
      />
      {hint ? <FieldHint>{hint}</FieldHint> : null}
      <FieldError id={`account-${name}-error`}>{errors[name]?.message}</FieldError>
    </div>
  );

  return (
    <form method="post" noValidate onSubmit={onSubmit} className="grid max-w-md gap-4">
      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
      {field('currentPassword', 'Current password', 'current-password')}
      {field('newPassword', 'New password', 'new-password', 'At least 12 characters.')}
      {field('confirmPassword', 'New password again', 'new-password')}
      <div>
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting ? 'Changing…' : 'Change password'}
        </Button>
      </div>
    </form>
  );
}
