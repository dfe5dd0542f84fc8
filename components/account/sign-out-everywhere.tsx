'use client';

import { signOut } from 'next-auth/react';
import { useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

type Result = { ok: true; message: string } | { ok: false; message: string };

/** Ends every session of the account on the server (other browsers included), then this one. */
export function SignOutEverywhere({ action }: { action: () => Promise<Result> }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="flex flex-col items-start gap-3">
      {error ? <Alert tone="danger">{error}</Alert> : null}
      <Button
        variant="secondary"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          const result = await action();
          if (!result.ok) {
            setError(result.message);
            setBusy(false);
            return;
          }
          await signOut({ callbackUrl: '/login' });
        }}
      >
        {busy ? 'Signing out…' : 'Sign out everywhere'}
      </Button>
    </div>
  );
}
