'use client';

import { useActionState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

type Result = { ok: boolean; message: string };

/** The person's own switch for failure notices: a form that posts (it works before hydration). */
export function FailureNoticesForm({
  on,
  action,
}: {
  on: boolean;
  action: (previous: Result | null, form: FormData) => Promise<Result>;
}) {
  const [result, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction} className="flex flex-col items-start gap-3">
      {result ? <Alert tone={result.ok ? 'success' : 'danger'}>{result.message}</Alert> : null}
      <p className="text-sm text-fg">
        {on ? 'You receive a mail when a run of a job you watch fails.' : 'You receive no failure notices.'}
      </p>
      <input type="hidden" name="failureNotices" value={on ? 'off' : 'on'} />
      <Button type="submit" variant="secondary" disabled={pending}>
        {on ? 'Stop failure notices' : 'Receive failure notices'}
      </Button>
    </form>
  );
}
