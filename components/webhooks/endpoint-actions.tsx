'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { SecretOnce } from './secret-once';

type Failure = { ok: false; message: string };

/** Rotate the secret (the new one shown once), turn on/off, delete. */
export function EndpointActions(props: {
  enabled: boolean;
  rotate: () => Promise<{ ok: true; secret: string } | Failure>;
  setEnabled: (enabled: boolean) => Promise<{ ok: true } | Failure>;
  remove: () => Promise<{ ok: true } | Failure>;
}) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState(false);
  const run = (work: () => Promise<{ ok: true; secret?: string } | Failure>, after?: () => void) =>
    start(async () => {
      setError(null);
      const result = await work();
      if (!result.ok) return setError(result.message);
      if (result.secret) setSecret(result.secret);
      after?.();
      router.refresh();
    });
  return (
    <div className="flex flex-col gap-3">
      {secret ? <SecretOnce secret={secret} /> : null}
      {error ? <Alert tone="danger">{error}</Alert> : null}
      <div className="flex flex-wrap gap-2">
        <Button variant="secondary" disabled={pending} onClick={() => run(props.rotate)}>
          Rotate secret
        </Button>
        <Button
          variant="secondary"
          disabled={pending}
          onClick={() => run(() => props.setEnabled(!props.enabled))}
        >
          {props.enabled ? 'Turn off' : 'Turn on'}
        </Button>
        <Button variant="danger" disabled={pending} onClick={() => setConfirm(true)}>
          Delete
        </Button>
      </div>
      <Dialog
        open={confirm}
        onClose={() => !pending && setConfirm(false)}
        title="Delete this endpoint?"
        description="Its deliveries are deleted with it; retries still waiting are not sent."
      >
        <div className="flex justify-end gap-2">
          <Button variant="secondary" autoFocus disabled={pending} onClick={() => setConfirm(false)}>
            Cancel
          </Button>
          <Button
            variant="danger"
            disabled={pending}
            onClick={() => run(props.remove, () => router.push('/integrations/webhooks'))}
          >
            {pending ? 'Deleting…' : 'Delete'}
          </Button>
        </div>
      </Dialog>
    </div>
  );
}

/** Sends one delivery again now. */
export function RedeliverButton({ redeliver }: { redeliver: () => Promise<{ ok: true } | Failure> }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [state, setState] = useState<string | null>(null);
  return (
    <span className="inline-flex items-center gap-2">
      <Button
        variant="secondary"
        size="sm"
        disabled={pending}
        onClick={() =>
          start(async () => {
            const result = await redeliver();
            setState(result.ok ? 'Queued' : result.message);
            router.refresh();
          })
        }
      >
        Redeliver
      </Button>
      <span role="status" className="text-xs text-fg-muted">
        {state}
      </span>
    </span>
  );
}
