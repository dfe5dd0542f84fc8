'use client';

import { useActionState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

export interface InvitationItem {
  id: string;
  orgName: string;
  role: string;
}

export type InvitationAnswer = { ok: boolean; message: string };
/** A server action reading `invitationId` and `answer` (accept | decline) from the form. */
export type AnswerInvitation = (
  previous: InvitationAnswer | null,
  form: FormData,
) => Promise<InvitationAnswer>;

/**
 * Invitations addressed to the signed-in person's email: accept (and switch there) or decline. Each is a
 * form posting to a server action, so a click before the page's JavaScript has loaded still answers it.
 */
export function InvitationBanner({
  invitations,
  answer,
}: {
  invitations: InvitationItem[];
  answer: AnswerInvitation;
}) {
  const [result, formAction, pending] = useActionState(answer, null);
  return (
    <section aria-label="Invitations" className="mb-6 flex flex-col gap-2">
      {result && !result.ok ? <Alert tone="danger">{result.message}</Alert> : null}
      {invitations.map((inv) => (
        <Alert key={inv.id} tone="info" className="flex flex-wrap items-center justify-between gap-3">
          <span>
            You are invited to join <strong>{inv.orgName}</strong> as {inv.role}.
          </span>
          <form action={formAction} className="flex gap-2">
            <input type="hidden" name="invitationId" value={inv.id} />
            <Button size="sm" type="submit" name="answer" value="accept" disabled={pending}>
              Accept
            </Button>
            <Button
              size="sm"
              type="submit"
              name="answer"
              value="decline"
              variant="secondary"
              disabled={pending}
            >
              Decline
            </Button>
          </form>
        </Alert>
      ))}
    </section>
  );
}
