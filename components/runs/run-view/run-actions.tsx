'use client';

import Link from 'next/link';
import { useState, useTransition } from 'react';
import { toast } from 'sonner';
import { Button, buttonClasses } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';

export type CancelResult = { ok: true; outcome: string } | { ok: false; message: string };

interface CancelProps {
  runId: string;
  jobName: string;
  /** Whether someone already asked the run to stop. */
  cancelRequested: boolean;
  cancelAction: (runId: string) => Promise<CancelResult>;
  onError: (message: string | null) => void;
}

/** "Cancel run", confirmed in a dialog; disabled from the moment the server took it until the run ends. */
function CancelButton({ runId, jobName, cancelRequested, cancelAction, onError }: CancelProps) {
  const [pending, startTransition] = useTransition();
  const [confirming, setConfirming] = useState(false);
  const [requested, setRequested] = useState(false);
  const cancelling = requested || cancelRequested;

  const cancel = () => {
    onError(null);
    startTransition(async () => {
      const result = await cancelAction(runId);
      setConfirming(false);
      if (result.ok) {
        setRequested(true);
        toast.success('Cancel requested: the run ends within a few seconds');
      } else {
        onError(result.message);
        toast.error(result.message);
      }
    });
  };

  return (
    <>
      <Button variant="danger" onClick={() => setConfirming(true)} disabled={pending || cancelling}>
        {pending || cancelling ? 'Cancelling…' : 'Cancel run'}
      </Button>
      <Dialog
        open={confirming}
        onClose={() => !pending && setConfirming(false)}
        title={`Cancel this run of ${jobName}?`}
        description="The worker ends the run's whole process tree; the run ends cancelled. This cannot be undone."
      >
        <div className="flex justify-end gap-2">
          <Button variant="secondary" autoFocus disabled={pending} onClick={() => setConfirming(false)}>
            Keep running
          </Button>
          <Button variant="danger" disabled={pending} onClick={cancel}>
            {pending ? 'Cancelling…' : 'Cancel run'}
          </Button>
        </div>
      </Dialog>
    </>
  );
}

/** What a viewer sees instead: the button, disabled, and why. */
function ViewerCancel() {
  return (
    <>
      <span id="cancel-note" className="text-xs text-fg-muted">
        Viewers cannot cancel runs.
      </span>
      <Button
        variant="danger"
        aria-disabled="true"
        aria-describedby="cancel-note"
        onClick={(e) => e.preventDefault()}
      >
        Cancel run
      </Button>
    </>
  );
}

/** Cancel while the run is active; "Run again" (with its params) once it has ended. */
export function RunActions({
  active,
  canManage,
  jobId,
  paramsText,
  ...cancel
}: CancelProps & { active: boolean; canManage: boolean; jobId: string; paramsText: string }) {
  return (
    <div className="flex shrink-0 flex-wrap items-center gap-2">
      {active ? (
        canManage ? (
          <CancelButton {...cancel} />
        ) : (
          <ViewerCancel />
        )
      ) : canManage ? (
        <Link
          href={`/jobs/${jobId}?params=${encodeURIComponent(paramsText)}#run-now`}
          className={buttonClasses({ variant: 'secondary' })}
        >
          Run again
        </Link>
      ) : null}
    </div>
  );
}
