'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { addMemberSchema, ROLE_DESCRIPTIONS, ROLES, type AddMemberInput } from '@/lib/validations/member';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FieldError, FieldHint, Input, Label, Select } from '@/components/ui/input';

type Result = { ok: true; message: string } | { ok: false; message: string; errors: { path: string; message: string }[] };

export function AddMemberForm({ action, canMakeOwners }: { action: (input: AddMemberInput) => Promise<Result>; canMakeOwners: boolean }) {
  const [notice, setNotice] = useState<{ tone: 'success' | 'danger'; text: string } | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    reset,
    control,
    formState: { errors, isSubmitting },
  } = useForm<AddMemberInput>({ resolver: zodResolver(addMemberSchema), defaultValues: { email: '', name: '', role: 'editor', password: '' } });
  const role = useWatch({ control, name: 'role' });

  const onSubmit = handleSubmit(async (data) => {
    setNotice(null);
    const result = await action(data);
    if (result.ok) {
      reset({ email: '', name: '', role: data.role, password: '' });
      setNotice({ tone: 'success', text: result.message });
      return;
    }
    let placed = false;
    for (const e of result.errors) {
      if (['email', 'name', 'role', 'password'].includes(e.path)) {
        setError(e.path as keyof AddMemberInput, { type: 'server', message: e.message }, { shouldFocus: !placed });
        placed = true;
      }
    }
    if (!placed) setNotice({ tone: 'danger', text: result.message });
  });

  const err = (name: keyof AddMemberInput) => ({ 'aria-invalid': errors[name] ? true : undefined, 'aria-describedby': `member-${name}-error` });

  return (
    <form noValidate onSubmit={onSubmit} className="grid gap-4 sm:grid-cols-2">
      {notice ? (
        <Alert tone={notice.tone} className="sm:col-span-2">
          {notice.text}
        </Alert>
      ) : null}
      <div>
        <Label htmlFor="member-email">Email</Label>
        <Input id="member-email" type="email" autoComplete="off" {...err('email')} {...register('email')} />
        <FieldError id="member-email-error">{errors.email?.message}</FieldError>
      </div>
      <div>
        <Label htmlFor="member-name">Name</Label>
        <Input id="member-name" autoComplete="off" placeholder="Optional" {...err('name')} {...register('name')} />
        <FieldError id="member-name-error">{errors.name?.message}</FieldError>
      </div>
      <div>
        <Label htmlFor="member-role">Role</Label>
        <Select id="member-role" {...err('role')} {...register('role')}>
          {ROLES.filter((r) => canMakeOwners || r !== 'owner').map((r) => (
            <option key={r} value={r}>
              {r[0].toUpperCase() + r.slice(1)}
            </option>
          ))}
        </Select>
        <FieldHint>{ROLE_DESCRIPTIONS[role as keyof typeof ROLE_DESCRIPTIONS]}</FieldHint>
        <FieldError id="member-role-error">{errors.role?.message}</FieldError>
      </div>
      <div>
        <Label htmlFor="member-password">First password</Label>
        <Input id="member-password" type="password" autoComplete="new-password" {...err('password')} {...register('password')} />
        <FieldHint>At least 12 characters. Ignored if the person already has an account.</FieldHint>
        <FieldError id="member-password-error">{errors.password?.message}</FieldError>
      </div>
      <div className="flex justify-end sm:col-span-2">
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting ? 'Adding…' : 'Add member'}
        </Button>
      </div>
    </form>
  );
}
