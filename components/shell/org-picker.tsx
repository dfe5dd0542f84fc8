'use client';

import { useState, useTransition } from 'react';
import type { OrgChoice } from './user-menu';

/**
 * The organisation the console acts in, in the top bar: a plain name with one organisation, a choice
 * with several (switching opens the other organisation's jobs).
 */
export function OrgPicker({
  orgs,
  orgName,
  switchOrg,
}: {
  orgs: OrgChoice[];
  orgName: string;
  switchOrg: (orgId: string) => Promise<{ ok: boolean; message: string }>;
}) {
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const current = orgs.find((o) => o.current);
  if (orgs.length < 2 || !current)
    return (
      <p className="truncate text-sm font-medium text-fg-muted" title={orgName}>
        <span className="sr-only">Organisation: </span>
        {orgName}
      </p>
    );
  return (
    <div className="flex min-w-0 items-center gap-2">
      <label htmlFor="org-picker" className="sr-only">
        Organisation
      </label>
      <select
        id="org-picker"
        value={current.id}
        disabled={pending}
        title={current.name}
        onChange={(event) => {
          const orgId = event.target.value;
          start(async () => {
            setError(null);
            const result = await switchOrg(orgId);
            if (result && !result.ok) setError(result.message);
          });
        }}
        className="h-8 max-w-[40vw] min-w-0 truncate rounded-md border border-border bg-surface px-2 text-sm font-medium text-fg focus-visible:outline-2 focus-visible:outline-ring sm:max-w-64"
      >
        {orgs.map((org) => (
          <option key={org.id} value={org.id}>
            {org.name}
          </option>
        ))}
      </select>
      {error ? (
        <p role="alert" className="text-xs text-danger">
          {error}
        </p>
      ) : null}
    </div>
  );
}
