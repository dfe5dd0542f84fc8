'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

export interface InvitationItem {
  id: string;
  orgName: string;
  role: string;
}

type Answer = (id: string) => Promise<{ ok: boolean; message: string }>;

/** Invitations addressed to the signed-in person's email: accept (and switch there) or decline. */
export function InvitationBanner({
  invitations,
  accept,
  decline,
}: {
  invitations: InvitationItem[];
  accept: Answer;
  decline: Answer;
}) {
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const router = useRouter();
  const answer = (fn: Answer, id: string) =>
    start(async () => {
      setError(null);
      const result = await fn(id);
      if (result && !result.ok) setError(result.message);
      else router.refresh();
    });
  return (
    <section aria-label="Invitations" className="mb-6 flex flex-col gap-2">
      {error ? <Alert tone="danger">{error}</Alert> : null}
      {invitations.map((inv) => (
        <Alert key={inv.id} tone="info" className="flex flex-wrap items-center justify-between gap-3">
          <span>
            You are invited to join <strong>{inv.orgName}</strong> as {inv.role}.
          </span>
          <span className="flex gap-2">
            <Button size="sm" disabled={pending} onClick={() => answer(accept, inv.id)}>
              Accept
            </Button>
            <Button size="sm" variant="secondary" disabled={pending} onClick={() => answer(decline, inv.id)}>
              Decline
            </Button>
          </span>
        </Alert>
      ))}
    </section>
  );
}
