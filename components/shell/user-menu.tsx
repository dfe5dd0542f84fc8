'use client';

import { signOut } from 'next-auth/react';
import { useEffect, useId, useRef, useState, useTransition, type RefObject } from 'react';
import { Badge } from '@/components/ui/badge';
import Link from 'next/link';
import { Button, buttonClasses } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';

/**
 * The signed-in user's menu in the top bar: a disclosure button (named by the email) that opens a
 * panel with the email, the role in the organisation and "Sign out". Escape and a click outside close it.
 */
export interface OrgChoice {
  id: string;
  name: string;
  role: string;
  current: boolean;
}

/** Closes the menu on a click outside it or on Escape (which gives the focus back to its button). */
function useDismiss(
  open: boolean,
  setOpen: (open: boolean) => void,
  rootRef: RefObject<HTMLDivElement | null>,
  buttonRef: RefObject<HTMLButtonElement | null>,
) {
  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        setOpen(false);
        buttonRef.current?.focus();
      }
    };
    document.addEventListener('pointerdown', onPointerDown);
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown);
      document.removeEventListener('keydown', onKeyDown);
    };
  }, [open, setOpen, rootRef, buttonRef]);
}

/** The person's organisations: the current one marked, the others a click away. */
function OrgSwitcher({
  orgs,
  switchOrg,
}: {
  orgs: OrgChoice[];
  switchOrg: (orgId: string) => Promise<{ ok: boolean; message: string }>;
}) {
  const [switching, startSwitch] = useTransition();
  const [switchError, setSwitchError] = useState<string | null>(null);
  return (
    <nav aria-label="Organisations" className="mt-4 border-t border-border pt-3">
      <p className="text-xs text-fg-muted">Organisations</p>
      <ul className="mt-1 flex flex-col gap-0.5">
        {orgs.map((org) => (
          <li key={org.id}>
            <button
              type="button"
              aria-current={org.current ? 'true' : undefined}
              disabled={org.current || switching}
              onClick={() =>
                startSwitch(async () => {
                  setSwitchError(null);
                  const result = await switchOrg(org.id);
                  if (result && !result.ok) setSwitchError(result.message);
                })
              }
              className={cn(
                'flex w-full items-center justify-between gap-2 rounded-md px-2 py-1.5 text-left text-sm text-fg hover:bg-surface-muted',
                'focus-visible:outline-2 focus-visible:outline-ring disabled:cursor-default',
                org.current && 'bg-surface-muted font-medium',
              )}
            >
              <span className="truncate">{org.name}</span>
              <span className="shrink-0 text-xs text-fg-muted">{org.current ? 'current' : org.role}</span>
            </button>
          </li>
        ))}
      </ul>
      {switchError ? (
        <p role="alert" className="mt-1 text-xs text-danger">
          {switchError}
        </p>
      ) : null}
      <Link
        href="/settings/account#new-organization"
        className="mt-1 block rounded-md px-2 py-1.5 text-sm text-accent hover:bg-surface-muted"
      >
        Create an organisation
      </Link>
    </nav>
  );
}

/** Who is signed in, and their role here. */
function WhoAmI({ name, email, role }: { name: string | null; email: string; role: string }) {
  return (
    <>
      <p className="text-xs text-fg-muted">Signed in as</p>
      {name ? <p className="mt-0.5 truncate text-sm font-medium text-fg">{name}</p> : null}
      <p className="truncate text-sm text-fg" title={email}>
        {email}
      </p>
      <p className="mt-3 flex items-center gap-2 text-sm text-fg-muted">
        Role <Badge tone="info">{role}</Badge>
      </p>
    </>
  );
}

export function UserMenu({
  email,
  name,
  role,
  orgs,
  switchOrg,
}: {
  email: string;
  name: string | null;
  role: string;
  orgs: OrgChoice[];
  switchOrg: (orgId: string) => Promise<{ ok: boolean; message: string }>;
}) {
  const [open, setOpen] = useState(false);
  const [signingOut, setSigningOut] = useState(false);
  const panelId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  useDismiss(open, setOpen, rootRef, buttonRef);

  const initial = (name || email).trim().charAt(0).toUpperCase() || '?';

  return (
    <div ref={rootRef} className="relative">
      <button
        ref={buttonRef}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((v) => !v)}
        className={cn(
          'flex shrink-0 items-center gap-2 rounded-md py-1 pr-2 pl-1 text-sm text-fg hover:bg-surface-muted',
          'focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring',
        )}
      >
        <span
          aria-hidden="true"
          className="flex size-7 items-center justify-center rounded-full bg-accent text-xs font-semibold text-accent-fg"
        >
          {initial}
        </span>
        <span className="max-w-[16rem] truncate max-sm:sr-only">{email}</span>
        <svg
          aria-hidden="true"
          viewBox="0 0 20 20"
          className={cn('size-4 text-fg-muted transition-transform', open && 'rotate-180')}
        >
          <path
            fill="currentColor"
            d="M5.23 7.21a.75.75 0 0 1 1.06.02L10 11.06l3.71-3.83a.75.75 0 1 1 1.08 1.04l-4.25 4.39a.75.75 0 0 1-1.08 0L5.21 8.27a.75.75 0 0 1 .02-1.06Z"
          />
        </svg>
      </button>
      <div
        id={panelId}
        hidden={!open}
        className="absolute right-0 z-20 mt-2 w-72 rounded-lg border border-border bg-surface p-4 shadow-lg"
      >
        <WhoAmI name={name} email={email} role={role} />
        <OrgSwitcher orgs={orgs} switchOrg={switchOrg} />
        <Link
          href="/settings/account"
          className={buttonClasses({ variant: 'ghost', size: 'sm', className: 'mt-3 w-full justify-start' })}
        >
          Your account
        </Link>
        <Button
          variant="secondary"
          className="mt-2 w-full"
          disabled={signingOut}
          onClick={() => {
            setSigningOut(true);
            void signOut({ callbackUrl: '/login' });
          }}
        >
          Sign out
        </Button>
      </div>
    </div>
  );
}
