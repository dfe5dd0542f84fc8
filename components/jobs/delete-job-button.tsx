'use client';

import { useState, useTransition } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';

/** Deletes a job after a confirmation that names what goes with it. */
export function DeleteJobButton({
  jobName,
  runCount,
  action,
}: {
  jobName: string;
  runCount: number;
  action: () => Promise<{ ok: false; message: string }>;
}) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const confirm = () =>
    startTransition(async () => {
      setError(null);
      const result = await action();
      // On success the action redirects to the jobs list.
      if (result && !result.ok) setError(result.message);
    });
  return (
    <>
      <Button variant="danger" onClick={() => setOpen(true)}>
        Delete job
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title={`Delete ${jobName}?`}
        description={
          <>
            The job and its {runCount.toLocaleString('en')} {runCount === 1 ? 'run' : 'runs'} with their logs
            are deleted for good. API calls that start it by name or id will answer 404 job_not_found.
          </>
        }
      >
        {error ? (
          <Alert tone="danger" className="mb-4">
            {error}
          </Alert>
        ) : null}
        <div className="flex justify-end gap-2">
          <Button variant="ghost" onClick={() => setOpen(false)}>
            Keep it
          </Button>
          <Button variant="danger" onClick={confirm} disabled={pending}>
            {pending ? 'Deleting…' : 'Delete job'}
          </Button>
        </div>
      </Dialog>
    </>
  );
}
