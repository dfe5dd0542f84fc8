'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { useForm } from 'react-hook-form';
import { toast } from 'sonner';
import {
  DEFAULT_GRACE_HOURS,
  GRACE_HOURS,
  updateApiKeySchema,
  type UpdateApiKeyInput,
} from '@/lib/validations/api-key';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { Dialog } from '@/components/ui/dialog';
import { FormField } from '@/components/ui/form-field';
import { FieldHint, Input, Label, Select, Textarea } from '@/components/ui/input';
import { applyServerErrors, type ServerFailure } from './form-errors';
import { handOver } from './handover';

type Result = { ok: true } | ServerFailure;

export function RevokeKeyButton({ name, revoke }: { name: string; revoke: () => Promise<Result> }) {
  return (
    <ConfirmButton
      label="Revoke"
      variant="danger"
      size="md"
      title={`Revoke “${name}”?`}
      description="Programs using this key are refused at once (401 api_key_revoked). This cannot be undone: to restore access, create or roll a new key."
      confirmLabel="Revoke"
      pendingLabel="Revoking…"
      action={revoke}
      onDone={() => toast.success(`“${name}” is revoked`)}
    />
  );
}

const graceLabel = (h: number) =>
  h < 24 ? `${h} hour${h === 1 ? '' : 's'}` : `${h / 24} day${h === 24 ? '' : 's'}`;

export function RollKeyButton({
  name,
  roll,
}: {
  name: string;
  roll: (input: { graceHours: number }) => Promise<{ ok: true; id: string; token: string } | ServerFailure>;
}) {
  const [open, setOpen] = useState(false);
  const router = useRouter();
  const [grace, setGrace] = useState(DEFAULT_GRACE_HOURS);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        Roll key
      </Button>
      <Dialog
        open={open}
        onClose={() => !pending && setOpen(false)}
        title={`Roll “${name}”?`}
        description="A new key with the same claims and settings is issued under a new id. The current key keeps working until the new one is first used, or until the grace period ends; then it is revoked by itself."
      >
        <form
          onSubmit={(event) => {
            event.preventDefault();
            start(async () => {
              const result = await roll({ graceHours: grace });
              if (result.ok) {
                handOver(result.id, result.token, 'rolled');
                router.push(`/integrations/api-keys/${result.id}`);
              } else setError(result.message);
            });
          }}
        >
          {error ? (
            <Alert tone="danger" className="mb-4">
              {error}
            </Alert>
          ) : null}
          <Label htmlFor="roll-grace">Grace period</Label>
          <Select
            id="roll-grace"
            value={grace}
            onChange={(e) => setGrace(Number(e.target.value))}
            aria-describedby="roll-grace-hint"
          >
            {GRACE_HOURS.map((h) => (
              <option key={h} value={h}>
                {graceLabel(h)}
                {h === DEFAULT_GRACE_HOURS ? ' (default)' : ''}
              </option>
            ))}
          </Select>
          <FieldHint id="roll-grace-hint">
            The longest the current key stays valid if the new one is not used sooner.
          </FieldHint>
          <div className="mt-6 flex justify-end gap-2">
            <Button variant="secondary" disabled={pending} onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" autoFocus disabled={pending}>
              {pending ? 'Rolling…' : 'Roll key'}
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}

export function EditKeyButton({
  name,
  description,
  update,
}: {
  name: string;
  description: string;
  update: (input: UpdateApiKeyInput) => Promise<Result>;
}) {
  const [open, setOpen] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const router = useRouter();
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<UpdateApiKeyInput>({
    resolver: zodResolver(updateApiKeySchema),
    defaultValues: { name, description },
  });

  const onSubmit = handleSubmit(async (data) => {
    setFormError(null);
    const result = await update(data);
    if (result.ok) {
      setOpen(false);
      toast.success('Key saved');
      router.refresh();
      return;
    }
    const rest = applyServerErrors(result, setError, (p) => p === 'name' || p === 'description');
    if (rest.length || result.errors.length === 0) setFormError([result.message, ...rest].join(' '));
  });

  return (
    <>
      <Button
        variant="ghost"
        onClick={() => {
          reset({ name, description });
          setOpen(true);
        }}
      >
        Edit
      </Button>
      <Dialog
        open={open}
        onClose={() => !isSubmitting && setOpen(false)}
        title="Edit key"
        description="The name and description are labels in the console. The token keeps the claims it was signed with (its app claim is shown under the key’s name); to change claims, create a new key."
      >
        <form method="post" noValidate onSubmit={onSubmit} className="flex flex-col gap-4">
          {formError ? <Alert tone="danger">{formError}</Alert> : null}
          <FormField id="edit-name" label="Name" error={errors.name?.message}>
            {(control) => <Input {...control} autoFocus {...register('name')} />}
          </FormField>
          <FormField id="edit-description" label="Description" error={errors.description?.message}>
            {(control) => <Textarea {...control} rows={3} {...register('description')} />}
          </FormField>
          <div className="flex justify-end gap-2">
            <Button variant="secondary" disabled={isSubmitting} onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={isSubmitting}>
              {isSubmitting ? 'Saving…' : 'Save'}
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
