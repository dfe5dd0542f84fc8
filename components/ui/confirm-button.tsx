'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition, type ReactNode } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button, type ButtonProps } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';

type Result = { ok: true } | { ok: false; message: string };

/**
 * A button that asks first (a dialog), then runs a server action; a refusal is shown in the dialog, and
 * `onDone` hears of a success (a toast, say) before the page refreshes.
 */
export function ConfirmButton({
  label,
  title,
  description,
  confirmLabel,
  pendingLabel = 'Working…',
  action,
  onDone,
  variant = 'secondary',
  size = 'sm',
  ...props
}: Omit<ButtonProps, 'onClick' | 'children' | 'title'> & {
  label: ReactNode;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  pendingLabel?: string;
  action: () => Promise<Result>;
  onDone?: () => void;
}) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const router = useRouter();
  return (
    <>
      <Button variant={variant} size={size} onClick={() => setOpen(true)} {...props}>
        {label}
      </Button>
      <Dialog open={open} onClose={() => !pending && setOpen(false)} title={title} description={description}>
        {error ? (
          <Alert tone="danger" className="mb-4">
            {error}
          </Alert>
        ) : null}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" autoFocus disabled={pending} onClick={() => setOpen(false)}>
            Cancel
          </Button>
          <Button
            variant="danger"
            disabled={pending}
            onClick={() =>
              start(async () => {
                setError(null);
                const result = await action();
                if (!result.ok) return setError(result.message);
                setOpen(false);
                onDone?.();
                router.refresh();
              })
            }
          >
            {pending ? pendingLabel : confirmLabel}
          </Button>
        </div>
      </Dialog>
    </>
  );
}
