'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useForm, type UseFormRegisterReturn } from 'react-hook-form';
import {
  createWebhookSchema,
  WEBHOOK_EVENTS,
  type CreateWebhook,
  type CreateWebhookInput,
} from '@/lib/validations/webhook';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { CheckboxGroup } from '@/components/ui/checkbox-group';
import { FieldError, FieldHint, Input, Label } from '@/components/ui/input';
import { SecretOnce } from './secret-once';

/** The endpoint's URL, with what the operator may refuse. */
function UrlField({ field, error }: { field: UseFormRegisterReturn<'url'>; error?: string }) {
  return (
    <div>
      <Label htmlFor="webhook-url">Endpoint URL</Label>
      <Input
        id="webhook-url"
        type="url"
        autoComplete="off"
        spellCheck={false}
        className="font-mono"
        placeholder="https://example.com/hooks/etl"
        aria-invalid={error ? true : undefined}
        {...field}
      />
      <FieldHint>
        Deliveries are POSTed here. Private, loopback and metadata addresses are refused unless the operator
        opened them.
      </FieldHint>
      <FieldError>{error}</FieldError>
    </div>
  );
}

type Result =
  | { ok: true; id: string; secret: string }
  | { ok: false; message: string; errors: { path: string; message: string }[] };

/** Adds an endpoint: URL, events, optionally some jobs; then shows its secret once. */
export function CreateWebhookForm({
  jobs,
  create,
}: {
  jobs: { id: string; name: string }[];
  create: (input: CreateWebhookInput) => Promise<Result>;
}) {
  const router = useRouter();
  const [secret, setSecret] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<CreateWebhookInput, unknown, CreateWebhook>({
    resolver: zodResolver(createWebhookSchema),
    defaultValues: { url: '', description: '', events: ['run.succeeded', 'run.failed'], jobIds: [] },
  });
  const onSubmit = handleSubmit(async (data) => {
    setMessage(null);
    const result = await create(data);
    if (result.ok) {
      setSecret(result.secret);
      reset();
      router.refresh();
      return;
    }
    for (const e of result.errors)
      if (['url', 'events', 'jobIds', 'description'].includes(e.path))
        setError(e.path as 'url', { message: e.message });
    setMessage(result.errors.length ? null : result.message);
  });
  return (
    <div className="flex flex-col gap-4">
      {secret ? <SecretOnce secret={secret} /> : null}
      <form
        method="post"
        noValidate
        onSubmit={onSubmit}
        className="grid gap-4"
        aria-label="Add a webhook endpoint"
      >
        {message ? <Alert tone="danger">{message}</Alert> : null}
        <UrlField field={register('url')} error={errors.url?.message} />
        <CheckboxGroup
          legend="Events"
          options={WEBHOOK_EVENTS.map((event) => ({ value: event, label: event }))}
          field={register('events')}
          error={errors.events?.message ?? errors.events?.[0]?.message ?? null}
        />
        {jobs.length ? (
          <CheckboxGroup
            legend="Only runs of these jobs (none checked: every job)"
            options={jobs.map((job) => ({ value: job.id, label: job.name }))}
            field={register('jobIds')}
          />
        ) : null}
        <div>
          <Button type="submit" disabled={isSubmitting}>
            {isSubmitting ? 'Adding…' : 'Add endpoint'}
          </Button>
        </div>
      </form>
    </div>
  );
}
