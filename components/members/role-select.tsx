'use client';

import { useState, useTransition } from 'react';
import { ROLES, type ChangeRoleInput, type RoleName } from '@/lib/validations/member';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Select } from '@/components/ui/input';

type Result = { ok: true; message: string } | { ok: false; message: string };
const label = (r: RoleName) => r[0].toUpperCase() + r.slice(1);

/** A member's role; choosing another asks for confirmation first, and a refusal is shown beside it. */
export function RoleSelect({
  userId,
  email,
  role,
  choices,
  change,
}: {
  userId: string;
  email: string;
  role: RoleName;
  choices: RoleName[];
  change: (input: ChangeRoleInput) => Promise<Result>;
}) {
  const [value, setValue] = useState(role);
  const [asked, setAsked] = useState<RoleName | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, start] = useTransition();
  const id = `role-${userId}`;
  const confirm = (next: RoleName) =>
    start(async () => {
      const result = await change({ userId, role: next });
      if (result.ok) setValue(next);
      setMessage({ ok: result.ok, text: result.message });
      setAsked(null);
    });
  return (
    <div>
      <label htmlFor={id} className="sr-only">
        Role of {email}
      </label>
      <Select
        id={id}
        value={asked ?? value}
        disabled={pending}
        className="h-9 w-auto min-w-[7.5rem]"
        aria-describedby={`${id}-message`}
        onChange={(event) => setAsked(event.target.value as RoleName)}
      >
        {ROLES.filter((r) => choices.includes(r) || r === value).map((r) => (
          <option key={r} value={r}>
            {label(r)}
          </option>
        ))}
      </Select>
      <p
        id={`${id}-message`}
        role="status"
        className={`mt-1 text-xs ${message?.ok ? 'text-fg-muted' : 'text-danger'}`}
      >
        {message?.text}
      </p>
      <Dialog
        open={asked !== null}
        onClose={() => !pending && setAsked(null)}
        title={`Make ${email} ${asked ? label(asked).toLowerCase() : ''}?`}
        description={`Their role changes from ${value} to ${asked ?? ''} on their next click; their API keys follow the new role.`}
      >
        <div className="flex justify-end gap-2">
          <Button variant="secondary" autoFocus disabled={pending} onClick={() => setAsked(null)}>
            Cancel
          </Button>
          <Button disabled={pending} onClick={() => asked && confirm(asked)}>
            {pending ? 'Changing…' : 'Change role'}
          </Button>
        </div>
      </Dialog>
    </div>
  );
}
