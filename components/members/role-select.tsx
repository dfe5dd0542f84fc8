'use client';

import { useState, useTransition } from 'react';
import { ROLES, type ChangeRoleInput, type RoleName } from '@/lib/validations/member';
import { Select } from '@/components/ui/input';

type Result = { ok: true; message: string } | { ok: false; message: string };

/** A member's role, changed as soon as another is chosen; a refusal is shown beside it. */
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
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, start] = useTransition();
  const id = `role-${userId}`;
  return (
    <div>
      <label htmlFor={id} className="sr-only">
        Role of {email}
      </label>
      <Select
        id={id}
        value={value}
        disabled={pending}
        className="h-8 w-32"
        aria-describedby={`${id}-message`}
        onChange={(event) => {
          const next = event.target.value as RoleName;
          const previous = value;
          setValue(next);
          start(async () => {
            const result = await change({ userId, role: next });
            if (!result.ok) setValue(previous);
            setMessage({ ok: result.ok, text: result.message });
          });
        }}
      >
        {ROLES.filter((r) => choices.includes(r) || r === value).map((r) => (
          <option key={r} value={r}>
            {r[0].toUpperCase() + r.slice(1)}
          </option>
        ))}
      </Select>
      <p id={`${id}-message`} role="status" className={`mt-1 text-xs ${message?.ok ? 'text-fg-muted' : 'text-danger'}`}>
        {message?.text}
      </p>
    </div>
  );
}
