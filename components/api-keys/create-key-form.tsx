'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMemo, useState } from 'react';
import { Controller, useFieldArray, useForm, useWatch } from 'react-hook-form';
import {
  claimsText,
  createApiKeySchema,
  expiryFrom,
  fieldNameSchema,
  MAX_FIELDS,
  MAX_TOKEN_BYTES,
  type CreateApiKeyInput,
  type CreateApiKeyValues,
} from '@/lib/validations/api-key';
import { Alert } from '@/components/ui/alert';
import { Button, buttonClasses } from '@/components/ui/button';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { cn } from '@/components/ui/cn';
import { FieldError, FieldHint, Input, Label, Select, Textarea } from '@/components/ui/input';
import { applyServerErrors, type ServerFailure } from './form-errors';
import { handOver } from './handover';

const ID_PLACEHOLDER = '(assigned when created)';

function base64urlLength(text: string): number {
  return Math.ceil((new TextEncoder().encode(text).length * 4) / 3);
}

/** The size of the token these claims make: header, payload and a 32-byte HS256 signature, base64url. */
function tokenBytes(headerText: string, payloadText: string): number {
  return base64urlLength(headerText) + 1 + base64urlLength(payloadText) + 1 + 43;
}

export function CreateKeyForm({
  action,
  orgSlug,
  kid,
  jobs,
  now,
}: {
  action: (input: CreateApiKeyInput) => Promise<{ ok: true; id: string; token: string } | ServerFailure>;
  orgSlug: string;
  kid: string;
  jobs: { id: string; name: string }[];
  /** When the page was rendered (ms): the preview's iat, the earliest expiry date. Same on server and client. */
  now: number;
}) {
  const [formError, setFormError] = useState<string | null>(null);
  const [navigating, setNavigating] = useState(false);
  const router = useRouter();
  const {
    register,
    control,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<CreateApiKeyInput, unknown, CreateApiKeyValues>({
    resolver: zodResolver(createApiKeySchema),
    mode: 'onTouched',
    defaultValues: {
      name: '',
      selector: '',
      description: '',
      type: 'functional',
      expires: 'never',
      expiresAt: '',
      jobScope: 'all',
      jobIds: [],
      fields: [],
      rateLimit: null,
    },
  });
  const { fields, append, remove } = useFieldArray({ control, name: 'fields' });
  const values = useWatch({ control });

  // The payload the key will carry, as the user types (id and iat are set when it is created).
  const preview = useMemo(() => {
    let exp: number | undefined;
    try {
      exp =
        values.expires === 'date' && !values.expiresAt
          ? undefined
          : expiryFrom({ expires: values.expires ?? 'never', expiresAt: values.expiresAt ?? '' }, now);
      if (exp !== undefined && Number.isNaN(exp)) exp = undefined;
    } catch {
      exp = undefined;
    }
    // Only fields the key can carry: a reserved, invalid or repeated name is flagged beside its row instead.
    const seen = new Set<string>();
    const rows: { name: string; value: string }[] = [];
    for (const field of values.fields ?? []) {
      const name = field?.name ?? '';
      if (!fieldNameSchema.safeParse(name).success || seen.has(name)) continue;
      seen.add(name);
      rows.push({ name, value: field?.value ?? '' });
    }
    const base = {
      app: values.name?.trim() ?? '',
      uid: values.selector?.trim() ?? '',
      org: orgSlug,
      iat: Math.floor(now / 1000),
      exp,
    };
    const shown = claimsText({ ...base, id: ID_PLACEHOLDER }, rows);
    const sized = claimsText({ ...base, id: '00000000-0000-0000-0000-000000000000' }, rows);
    const bytes = tokenBytes(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid }), sized);
    return { json: JSON.stringify(JSON.parse(shown), null, 2), bytes };
  }, [values, orgSlug, kid, now]);
  const tooBig = preview.bytes > MAX_TOKEN_BYTES;

  // After a refused submit, by mouse too: focus the first invalid field (in page order), so a screen
  // reader reads its label and error at once.
  const focusFirstInvalid = (_errors: unknown, event?: { target: unknown }) => {
    const form = event?.target instanceof HTMLFormElement ? event.target : null;
    requestAnimationFrame(() => form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  };
  const onSubmit = handleSubmit(async (data) => {
    setFormError(null);
    if (tooBig) {
      setError('fields', {
        message: `The token would be about ${preview.bytes} bytes; ${MAX_TOKEN_BYTES} at most. Shorten the additional fields.`,
      });
      return;
    }
    const result = await action(data);
    if (result.ok) {
      setNavigating(true);
      handOver(result.id, result.token, 'created');
      router.push(`/integrations/api-keys/${result.id}`);
      return;
    }
    {
      const known = (path: string) =>
        /^(name|selector|description|type|expires|expiresAt|jobScope|jobIds|fields(\.\d+\.(name|value))?)$/.test(
          path,
        );
      const rest = applyServerErrors(result, setError, known);
      setFormError([result.errors.length ? null : result.message, ...rest].filter(Boolean).join(' ') || null);
    }
  }, focusFirstInvalid);

  const fieldId = (name: string) => `key-${name}`;
  const describedBy = (name: string, hint = false) =>
    [hint ? `${fieldId(name)}-hint` : null, `${fieldId(name)}-error`].filter(Boolean).join(' ');
  const busy = isSubmitting || navigating;

  return (
    <form noValidate onSubmit={onSubmit} className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,24rem)]">
      <div className="flex min-w-0 flex-col gap-6">
        {formError ? <Alert tone="danger">{formError}</Alert> : null}

        <Card>
          <CardHeader
            title="Key"
            description="What the key is called and who it belongs to. Name and selector are signed into the token."
          />
          <CardBody className="grid gap-5 sm:grid-cols-2">
            <div>
              <Label htmlFor={fieldId('name')}>Name</Label>
              <Input
                id={fieldId('name')}
                autoFocus
                autoComplete="off"
                placeholder="nightly-etl"
                aria-invalid={errors.name ? true : undefined}
                aria-describedby={describedBy('name', true)}
                {...register('name')}
              />
              <FieldHint id={`${fieldId('name')}-hint`}>
                The <code>app</code> claim: the application that will use the key.
              </FieldHint>
              <FieldError id={`${fieldId('name')}-error`}>{errors.name?.message}</FieldError>
            </div>
            <div>
              <Label htmlFor={fieldId('selector')}>Selector</Label>
              <Input
                id={fieldId('selector')}
                autoComplete="off"
                placeholder="pipeline-eu-1"
                aria-invalid={errors.selector ? true : undefined}
                aria-describedby={describedBy('selector', true)}
                {...register('selector')}
              />
              <FieldHint id={`${fieldId('selector')}-hint`}>
                The <code>uid</code> claim: which caller or instance this is.
              </FieldHint>
              <FieldError id={`${fieldId('selector')}-error`}>{errors.selector?.message}</FieldError>
            </div>
            <div className="sm:col-span-2">
              <Label htmlFor={fieldId('description')}>Description</Label>
              <Textarea
                id={fieldId('description')}
                rows={2}
                className="min-h-16"
                placeholder="Optional: what it is for, who to ask"
                aria-invalid={errors.description ? true : undefined}
                aria-describedby={describedBy('description')}
                {...register('description')}
              />
              <FieldError id={`${fieldId('description')}-error`}>{errors.description?.message}</FieldError>
            </div>
            <fieldset className="sm:col-span-2">
              <legend className="mb-1.5 text-sm font-medium text-fg">Type</legend>
              <div className="grid gap-3 sm:grid-cols-2">
                {(
                  [
                    [
                      'functional',
                      'Functional',
                      'For a program or pipeline. The owner and admins can see the token.',
                    ],
                    ['personal', 'Personal', 'For you alone. Only you can ever see the token.'],
                  ] as const
                ).map(([value, label, hint]) => (
                  <label
                    key={value}
                    className={cn(
                      'flex cursor-pointer gap-3 rounded-md border px-3 py-2.5 text-sm',
                      values.type === value
                        ? 'border-accent bg-accent-soft'
                        : 'border-border-strong hover:bg-surface-muted',
                    )}
                  >
                    <input
                      type="radio"
                      value={value}
                      className="mt-0.5 accent-[var(--app-accent)]"
                      {...register('type')}
                    />
                    <span>
                      <span className="block font-medium text-fg">{label}</span>
                      <span className="block text-xs text-fg-muted">{hint}</span>
                    </span>
                  </label>
                ))}
              </div>
            </fieldset>
          </CardBody>
        </Card>

        <Card>
          <CardHeader title="Access" description="When the key stops working and which jobs it may start." />
          <CardBody className="grid gap-5 sm:grid-cols-2">
            <div>
              <Label htmlFor={fieldId('expires')}>Expires</Label>
              <Select
                id={fieldId('expires')}
                aria-describedby={describedBy('expires')}
                {...register('expires')}
              >
                <option value="never">Never</option>
                <option value="30d">In 30 days</option>
                <option value="90d">In 90 days</option>
                <option value="1y">In 1 year</option>
                <option value="date">On a date…</option>
              </Select>
              <FieldError id={`${fieldId('expires')}-error`}>{errors.expires?.message}</FieldError>
            </div>
            {values.expires === 'date' ? (
              <div>
                <Label htmlFor={fieldId('expiresAt')}>Expiry date</Label>
                <Input
                  id={fieldId('expiresAt')}
                  type="date"
                  min={new Date(now + 86_400_000).toISOString().slice(0, 10)}
                  aria-invalid={errors.expiresAt ? true : undefined}
                  aria-describedby={describedBy('expiresAt', true)}
                  {...register('expiresAt')}
                />
                <FieldHint id={`${fieldId('expiresAt')}-hint`}>At 00:00 UTC that day.</FieldHint>
                <FieldError id={`${fieldId('expiresAt')}-error`}>{errors.expiresAt?.message}</FieldError>
              </div>
            ) : (
              <div aria-hidden="true" />
            )}
            <fieldset className="sm:col-span-2" aria-describedby={`${fieldId('jobIds')}-error`}>
              <legend className="mb-1.5 text-sm font-medium text-fg">Jobs</legend>
              <div className="flex flex-wrap gap-x-6 gap-y-2 text-sm">
                <label className="flex items-center gap-2">
                  <input
                    type="radio"
                    value="all"
                    className="accent-[var(--app-accent)]"
                    {...register('jobScope')}
                  />
                  All jobs of the organisation
                </label>
                <label className="flex items-center gap-2">
                  <input
                    type="radio"
                    value="chosen"
                    className="accent-[var(--app-accent)]"
                    {...register('jobScope')}
                  />
                  Only the jobs I choose
                </label>
              </div>
              {values.jobScope === 'chosen' ? (
                <Controller
                  control={control}
                  name="jobIds"
                  render={({ field }) => (
                    <ul className="mt-3 grid max-h-56 gap-1 overflow-y-auto rounded-md border border-border p-2 sm:grid-cols-2">
                      {jobs.length === 0 ? (
                        <li className="px-2 py-1 text-sm text-fg-muted">
                          This organisation has no jobs yet.
                        </li>
                      ) : null}
                      {jobs.map((job) => {
                        const checked = (field.value ?? []).includes(job.id);
                        return (
                          <li key={job.id}>
                            <label className="flex items-center gap-2 rounded px-2 py-1 text-sm hover:bg-surface-muted">
                              <input
                                type="checkbox"
                                className="accent-[var(--app-accent)]"
                                checked={checked}
                                onBlur={field.onBlur}
                                onChange={() =>
                                  field.onChange(
                                    checked
                                      ? (field.value ?? []).filter((id) => id !== job.id)
                                      : [...(field.value ?? []), job.id],
                                  )
                                }
                              />
                              <span className="font-mono text-xs">{job.name}</span>
                            </label>
                          </li>
                        );
                      })}
                    </ul>
                  )}
                />
              ) : null}
              <FieldError id={`${fieldId('jobIds')}-error`}>
                {errors.jobIds?.message ?? errors.jobIds?.root?.message}
              </FieldError>
            </fieldset>
          </CardBody>
        </Card>

        <Card>
          <CardHeader
            title="Additional fields"
            description={
              <>
                Extra claims signed into the token, e.g. a team or an environment. A value that is JSON keeps
                its type (<code>3</code>, <code>true</code>, <code>[&quot;a&quot;]</code>); anything else is a
                string.
              </>
            }
          />
          <CardBody className="flex flex-col gap-4">
            {fields.length === 0 ? <p className="text-sm text-fg-muted">No additional fields.</p> : null}
            {fields.map((row, index) => {
              const nameError = errors.fields?.[index]?.name?.message;
              const valueError = errors.fields?.[index]?.value?.message;
              return (
                <div
                  key={row.id}
                  className="grid items-start gap-3 sm:grid-cols-[minmax(0,2fr)_minmax(0,3fr)_auto]"
                  data-testid="additional-field"
                >
                  <div>
                    <Label htmlFor={`field-${index}-name`}>Field name</Label>
                    <Input
                      id={`field-${index}-name`}
                      autoComplete="off"
                      spellCheck={false}
                      className="font-mono"
                      placeholder="team"
                      aria-invalid={nameError ? true : undefined}
                      aria-describedby={`field-${index}-name-error`}
                      {...register(`fields.${index}.name`)}
                    />
                    <FieldError id={`field-${index}-name-error`}>{nameError}</FieldError>
                  </div>
                  <div>
                    <Label htmlFor={`field-${index}-value`}>Field value</Label>
                    <Input
                      id={`field-${index}-value`}
                      autoComplete="off"
                      spellCheck={false}
                      className="font-mono"
                      placeholder="data-platform"
                      aria-invalid={valueError ? true : undefined}
                      aria-describedby={`field-${index}-value-error`}
                      {...register(`fields.${index}.value`)}
                    />
                    <FieldError id={`field-${index}-value-error`}>{valueError}</FieldError>
                  </div>
                  <Button
                    variant="ghost"
                    className="sm:mt-7"
                    aria-label={`Remove field ${index + 1}`}
                    onClick={() => remove(index)}
                  >
                    Remove
                  </Button>
                </div>
              );
            })}
            <FieldError id="fields-error">
              {errors.fields?.root?.message ??
                errors.fields?.message ??
                (tooBig
                  ? `The token would be about ${preview.bytes} bytes; ${MAX_TOKEN_BYTES} at most. Shorten the additional fields.`
                  : null)}
            </FieldError>
            <div>
              <Button
                variant="secondary"
                size="sm"
                disabled={fields.length >= MAX_FIELDS}
                onClick={() => append({ name: '', value: '' }, { shouldFocus: true })}
              >
                <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4">
                  <path
                    fill="currentColor"
                    d="M10 4a1 1 0 0 1 1 1v4h4a1 1 0 1 1 0 2h-4v4a1 1 0 1 1-2 0v-4H5a1 1 0 1 1 0-2h4V5a1 1 0 0 1 1-1Z"
                  />
                </svg>
                Add field
              </Button>
              <span className="ml-3 text-xs text-fg-muted">
                {fields.length} of {MAX_FIELDS}
              </span>
            </div>
          </CardBody>
        </Card>

        <div className="flex items-center justify-end gap-3">
          <Link href="/integrations/api-keys" className={buttonClasses({ variant: 'ghost' })}>
            Cancel
          </Link>
          {/* No focus on mouse down: the blur would show a field's error, move the button and lose the click. */}
          <Button type="submit" disabled={busy} onMouseDown={(e) => e.preventDefault()}>
            {busy ? 'Creating…' : 'Create API key'}
          </Button>
        </div>
      </div>

      <aside className="min-w-0 lg:sticky lg:top-20 lg:self-start">
        <Card>
          <CardHeader title="Payload" description="What the token will carry, as you type." />
          <CardBody>
            <pre
              aria-label="Payload preview"
              aria-live="polite"
              data-testid="payload-preview"
              className="overflow-x-auto rounded-md bg-surface-muted p-3 font-mono text-xs leading-relaxed text-fg"
            >
              {preview.json}
            </pre>
            <p className={cn('mt-3 text-xs', tooBig ? 'font-medium text-danger' : 'text-fg-muted')}>
              Token size: about {preview.bytes.toLocaleString('en')} of {MAX_TOKEN_BYTES.toLocaleString('en')}{' '}
              bytes
            </p>
            <p className="mt-1 text-xs text-fg-muted">
              Signed with HS256, key id <code>{kid}</code>.
            </p>
          </CardBody>
        </Card>
      </aside>
    </form>
  );
}
