'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { forgotPasswordSchema, type ForgotPasswordInput } from '@/lib/validations/account';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FieldError, Input, Label } from '@/components/ui/input';

type Result =
  { ok: true; message: string } | { ok: false; message: string; errors: { path: string; message: string }[] };

/** Asks for a reset link; the answer is the same for every address. */
export function ForgotPasswordForm({ action }: { action: (input: ForgotPasswordInput) => Promise<Result> }) {
  const [notice, setNotice] = useState<{ tone: 'success' | 'danger'; text: string } | null>(null);
  const {
    register,
    handleSubmit,
    formState: { errors, isSubmitting },
  } = useForm<ForgotPasswordInput>({
    resolver: zodResolver(forgotPasswordSchema),
    defaultValues: { email: '' },
  });

  const onSubmit = handleSubmit(async (data) => {
    const result = await action(data);
    setNotice({ tone: result.ok ? 'success' : 'danger', text: result.message });
  });

  return (
    <form method="post" noValidate onSubmit={onSubmit} className="mt-6 flex flex-col gap-4">
      {notice ? (
        <Alert tone={notice.tone}>
          <p>{notice.text}</p>
        </Alert>
      ) : null}
      <div>
        <Label htmlFor="forgot-email">Email</Label>
        <Input
          id="forgot-email"
          type="email"
          autoComplete="username"
          inputMode="email"
          aria-invalid={errors.email ? true : undefined}
          aria-describedby="forgot-email-error"
          {...register('email')}
        />
        <FieldError id="forgot-email-error">{errors.email?.message}</FieldError>
      </div>
      <Button type="submit" disabled={isSubmitting}>
        {isSubmitting ? 'Sending…' : 'Mail me a link'}
      </Button>
    </form>
  );
}
