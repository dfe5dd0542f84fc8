'use client';

import { signOut } from 'next-auth/react';
import { useState, useTransition } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { FieldError, FieldHint, Input, Label } from '@/components/ui/input';

export type ConfirmPassword = (
  password: string,
) => Promise<{ ok: true } | { ok: false; message: string; code?: string }>;

/** An SSO account has no password to type: it signs in again instead. */
function SsoNotice({ message, onCancel }: { message: string | null; onCancel: () => void }) {
  return (
    <div className="flex flex-col gap-4">
      <Alert tone="info">{message}</Alert>
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button onClick={() => signOut({ callbackUrl: window.location.pathname })}>
          Sign out and sign in again
        </Button>
      </div>
    </div>
  );
}

/**
 * "Sudo": before a token is shown or copied, the person types their password again (once every 10
 * minutes). An account that signs in with SSO has none: it is told to sign in again instead.
 */
export function ConfirmPasswordDialog({
  open,
  confirm,
  onDone,
}: {
  open: boolean;
  confirm: ConfirmPassword;
  onDone: (confirmed: boolean) => void;
}) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sso, setSso] = useState(false);
  const [pending, start] = useTransition();
  const close = (confirmed: boolean) => {
    setPassword('');
    setError(null);
    onDone(confirmed);
  };
  return (
    <Dialog
      open={open}
      onClose={() => !pending && close(false)}
      title="Confirm it is you"
      description="Type your password to see or copy the token. You will not be asked again for 10 minutes."
    >
      {sso ? (
        <SsoNotice message={error} onCancel={() => close(false)} />
      ) : (
        <form
          method="post"
          onSubmit={(event) => {
            event.preventDefault();
            start(async () => {
              const result = await confirm(password).catch(() => ({
                ok: false as const,
                message: 'Could not reach the server. Try again.',
              }));
              if (result.ok) close(true);
              else {
                setSso('code' in result && result.code === 'reauthentication_required');
                setError(result.message);
              }
            });
          }}
          className="flex flex-col gap-4"
        >
          <div>
            <Label htmlFor="confirm-password">Your password</Label>
            <Input
              id="confirm-password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
              autoFocus
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              aria-invalid={error ? true : undefined}
              aria-describedby="confirm-password-hint"
            />
            {error ? (
              <FieldError id="confirm-password-hint">{error}</FieldError>
            ) : (
              <FieldHint id="confirm-password-hint">The one you sign in with.</FieldHint>
            )}
          </div>
          <div className="flex justify-end gap-2">
            <Button type="button" variant="secondary" disabled={pending} onClick={() => close(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={pending || password === ''}>
              {pending ? 'Checking…' : 'Confirm'}
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
