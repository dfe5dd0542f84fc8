'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import {
  inviteMemberSchema,
  ROLE_DESCRIPTIONS,
  ROLES,
  type InviteMemberInput,
} from '@/lib/validations/member';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FieldError, FieldHint, Input, Label, Select } from '@/components/ui/input';

type Result =
  { ok: true; message: string } | { ok: false; message: string; errors: { path: string; message: string }[] };

type Notice = { tone: 'success' | 'danger'; text: string };

/** The answer of an invitation (the link went to the address, not here). */
function InviteNotice({ notice }: { notice: Notice }) {
  return (
    <Alert tone={notice.tone} className="sm:col-span-2">
      <p>{notice.text}</p>
    </Alert>
  );
}

/** Invites by email and role; the link is mailed to the address (the same answer for every address). */
export function InviteForm({
  action,
  canInviteOwners,
}: {
  action: (input: InviteMemberInput) => Promise<Result>;
  canInviteOwners: boolean;
}) {
  const [notice, setNotice] = useState<Notice | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    reset,
    control,
    formState: { errors, isSubmitting },
  } = useForm<InviteMemberInput>({
    resolver: zodResolver(inviteMemberSchema),
    defaultValues: { email: '', role: 'editor' },
  });
  const role = useWatch({ control, name: 'role' });

  const onSubmit = handleSubmit(async (data) => {
    setNotice(null);
    const result = await action(data);
    if (result.ok) {
      reset({ email: '', role: data.role });
      setNotice({ tone: 'success', text: result.message });
      return;
    }
    const placed = result.errors.filter((e) => e.path === 'email' || e.path === 'role');
    placed.forEach((e, i) =>
      setError(
        e.path as keyof InviteMemberInput,
        { type: 'server', message: e.message },
        { shouldFocus: i === 0 },
      ),
    );
    if (placed.length === 0) setNotice({ tone: 'danger', text: result.message });
  });

  return (
    <form method="post" noValidate onSubmit={onSubmit} className="grid gap-4 sm:grid-cols-2">
      {notice ? <InviteNotice notice={notice} /> : null}
      <div>
        <Label htmlFor="invite-email">Email</Label>
        <Input
          id="invite-email"
          type="email"
          autoComplete="off"
          aria-invalid={errors.email ? true : undefined}
          aria-describedby="invite-email-error"
          {...register('email')}
        />
        <FieldError id="invite-email-error">{errors.email?.message}</FieldError>
      </div>
      <div>
        <Label htmlFor="invite-role">Role</Label>
        <Select
          id="invite-role"
          aria-invalid={errors.role ? true : undefined}
          aria-describedby="invite-role-hint invite-role-error"
          {...register('role')}
        >
          {ROLES.filter((r) => canInviteOwners || r !== 'owner').map((r) => (
            <option key={r} value={r}>
              {r[0].toUpperCase() + r.slice(1)}
            </option>
          ))}
        </Select>
        <FieldHint id="invite-role-hint">
          {ROLE_DESCRIPTIONS[role as keyof typeof ROLE_DESCRIPTIONS]}
        </FieldHint>
        <FieldError id="invite-role-error">{errors.role?.message}</FieldError>
      </div>
      <div className="flex justify-end sm:col-span-2">
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting ? 'Inviting…' : 'Invite'}
        </Button>
      </div>
    </form>
  );
}
