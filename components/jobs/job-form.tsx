'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import Link from 'next/link';
import { useEffect, useId, useRef, useState } from 'react';
import { Controller, get, useForm, useWatch, type FieldErrors } from 'react-hook-form';
import { jobDefinitionSchema, type JobDefinition, type JobDefinitionInput } from '@/lib/validations/job';
import { Alert } from '@/components/ui/alert';
import { Button, buttonClasses } from '@/components/ui/button';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { cn } from '@/components/ui/cn';
import { CopyButton } from '@/components/ui/copy-button';
import { FieldError, FieldHint, Input, Label, Select, Textarea } from '@/components/ui/input';
import { JobSchedulesCard } from './schedules/job-schedules-card';

export interface JobFormFailure {
  ok: false;
  message: string;
  errors: { path: string; message: string }[];
}

type CommandConfig = { command: string; args?: string[]; env?: Record<string, string>; network?: boolean };
type HttpConfig = {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
};

export const EMPTY_JOB: JobDefinitionInput = {
  name: '',
  description: '',
  type: 'command',
  config: { command: '', args: [], env: {}, network: false },
  concurrency: 'single',
  timeoutSeconds: 3600,
  maxAttempts: 1,
  paramsSchema: null,
};

const DEFAULT_CONFIGS = {
  command: { command: '', args: [], env: {}, network: false } as CommandConfig,
  http: { method: 'POST', url: '', headers: {} } as HttpConfig,
};

const PARAMS_SCHEMA_EXAMPLE = JSON.stringify(
  {
    type: 'object',
    properties: { name: { type: 'string', maxLength: 200 } },
    required: ['name'],
    additionalProperties: false,
  },
  null,
  2,
);

/** The first message anywhere under an error node (arrays and records of errors included). */
function firstMessage(node: unknown): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const n = node as { message?: unknown };
  if (typeof n.message === 'string' && n.message) return n.message;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'ref' || key === 'type' || key === 'types') continue;
    const found = firstMessage(value);
    if (found) return found;
  }
  return undefined;
}

/** A server error's path as the form holds it: errors inside env and headers belong to the whole list. */
function formPath(path: string): string | null {
  if (
    /^(name|description|type|concurrency|timeoutSeconds|maxAttempts|paramsSchema|config\.(command|method|url))$/.test(
      path,
    )
  )
    return path;
  if (/^config\.args(\.\d+)?$/.test(path)) return path;
  const list = path.match(/^config\.(env|headers)(\.|$)/);
  if (list) return `config.${list[1]}`;
  if (path === 'config') return 'config';
  return null;
}

function ListEditor({
  id,
  value,
  onChange,
  errors,
  itemLabel,
  addLabel,
  placeholder,
}: {
  id: string;
  value: string[];
  onChange: (v: string[]) => void;
  errors: unknown;
  itemLabel: string;
  addLabel: string;
  placeholder?: string;
}) {
  return (
    <div className="flex flex-col gap-2">
      {value.length === 0 ? <p className="text-sm text-fg-muted">No arguments.</p> : null}
      {value.map((item, index) => {
        const error = firstMessage(get(errors, String(index)));
        return (
          <div key={index}>
            <div className="flex items-center gap-2">
              <span aria-hidden="true" className="w-5 text-right text-xs text-fg-muted tabular-nums">
                {index + 1}
              </span>
              <Input
                id={`${id}-${index}`}
                aria-label={`${itemLabel} ${index + 1}`}
                value={item}
                spellCheck={false}
                autoComplete="off"
                className="font-mono"
                placeholder={placeholder}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? `${id}-${index}-error` : undefined}
                onChange={(e) => onChange(value.map((v, i) => (i === index ? e.target.value : v)))}
              />
              <Button
                variant="ghost"
                size="sm"
                aria-label={`Remove ${itemLabel.toLowerCase()} ${index + 1}`}
                onClick={() => onChange(value.filter((_, i) => i !== index))}
              >
                Remove
              </Button>
            </div>
            <FieldError id={`${id}-${index}-error`} className="ml-7">
              {error}
            </FieldError>
          </div>
        );
      })}
      <div>
        <Button variant="secondary" size="sm" onClick={() => onChange([...value, ''])}>
          + {addLabel}
        </Button>
      </div>
    </div>
  );
}

let lastRowKey = 0;
const rowKey = () => ++lastRowKey;

function KeyValueEditor({
  id,
  value,
  onChange,
  error,
  nameLabel,
  valueLabel,
  addLabel,
  namePlaceholder,
  valuePlaceholder,
}: {
  id: string;
  value: Record<string, string>;
  onChange: (v: Record<string, string>) => void;
  error?: string;
  nameLabel: string;
  valueLabel: string;
  addLabel: string;
  namePlaceholder?: string;
  valuePlaceholder?: string;
}) {
  const [rows, setRows] = useState(() =>
    Object.entries(value ?? {}).map(([name, v]) => ({ key: rowKey(), name, value: v })),
  );
  const update = (next: typeof rows) => {
    setRows(next);
    onChange(
      Object.fromEntries(next.filter((r) => r.name.trim() !== '').map((r) => [r.name.trim(), r.value])),
    );
  };
  const names = rows.map((r) => r.name.trim()).filter(Boolean);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  return (
    <div className="flex flex-col gap-2">
      {rows.length === 0 ? <p className="text-sm text-fg-muted">None.</p> : null}
      {rows.map((row, index) => (
        <div key={row.key} className="grid grid-cols-[minmax(0,2fr)_minmax(0,3fr)_auto] items-center gap-2">
          <Input
            aria-label={`${nameLabel} ${index + 1}`}
            value={row.name}
            spellCheck={false}
            autoComplete="off"
            className="font-mono"
            placeholder={namePlaceholder}
            onChange={(e) =>
              update(rows.map((r) => (r.key === row.key ? { ...r, name: e.target.value } : r)))
            }
          />
          <Input
            aria-label={`${valueLabel} ${index + 1}`}
            value={row.value}
            spellCheck={false}
            autoComplete="off"
            className="font-mono"
            placeholder={valuePlaceholder}
            onChange={(e) =>
              update(rows.map((r) => (r.key === row.key ? { ...r, value: e.target.value } : r)))
            }
          />
          <Button
            variant="ghost"
            size="sm"
            aria-label={`Remove ${nameLabel.toLowerCase()} ${index + 1}`}
            onClick={() => update(rows.filter((r) => r.key !== row.key))}
          >
            Remove
          </Button>
        </div>
      ))}
      <FieldError id={`${id}-error`}>
        {error ?? (duplicate ? `"${duplicate}" appears twice; the last one wins.` : null)}
      </FieldError>
      <div>
        <Button
          variant="secondary"
          size="sm"
          onClick={() => update([...rows, { key: rowKey(), name: '', value: '' }])}
        >
          + {addLabel}
        </Button>
      </div>
    </div>
  );
}

function ParamsSchemaEditor({
  id,
  value,
  onChange,
  onBlur,
  error,
}: {
  id: string;
  value: unknown;
  onChange: (v: unknown) => void;
  onBlur: () => void;
  error?: string;
}) {
  const [text, setText] = useState(() =>
    value && typeof value === 'object'
      ? JSON.stringify(value, null, 2)
      : typeof value === 'string'
        ? value
        : '',
  );
  const change = (next: string) => {
    setText(next);
    if (next.trim() === '') return onChange(null);
    try {
      onChange(JSON.parse(next));
    } catch {
      // Left as text: the schema then says it is not a JSON object.
      onChange(next);
    }
  };
  return (
    <div>
      <div className="mb-1.5 flex items-end justify-between gap-2">
        <Label htmlFor={id} className="mb-0">
          Params schema (JSON Schema, optional)
        </Label>
        {text.trim() === '' ? (
          <Button variant="ghost" size="sm" onClick={() => change(PARAMS_SCHEMA_EXAMPLE)}>
            Insert an example
          </Button>
        ) : null}
      </div>
      <Textarea
        id={id}
        rows={8}
        spellCheck={false}
        className="font-mono text-xs"
        placeholder={'{\n  "type": "object",\n  "properties": { "name": { "type": "string" } }\n}'}
        value={text}
        onChange={(e) => change(e.target.value)}
        onBlur={onBlur}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-hint ${id}-error`}
      />
      <FieldHint id={`${id}-hint`}>
        Starts are refused (422) when their params do not fit. Empty: any JSON object is accepted. Simple
        properties (text, numbers, true/false) also get their own fields in “Run now”.
      </FieldHint>
      <FieldError id={`${id}-error`}>{error}</FieldError>
    </div>
  );
}

/** Create or edit a job: fields by type (command or HTTP), how it runs, and its params schema. */
export function JobForm({
  initial = EMPTY_JOB,
  action,
  mode,
  cancelHref,
  commandNote = null,
}: {
  initial?: JobDefinitionInput;
  action: (input: JobDefinitionInput) => Promise<JobFormFailure>;
  mode: 'create' | 'edit';
  cancelHref: string;
  /** Why this person may not save a command job here, if so. */ commandNote?: string | null;
}) {
  const uid = useId();
  const fid = (name: string) => `job-${name.replace(/\./g, '-')}-${uid}`;
  const [formError, setFormError] = useState<string | null>(null);
  const {
    register,
    control,
    handleSubmit,
    setError,
    setValue,
    getValues,
    formState: { errors, isSubmitting, isSubmitSuccessful },
  } = useForm<JobDefinitionInput, unknown, JobDefinition>({
    resolver: zodResolver(jobDefinitionSchema),
    // Validated on submit, then again as fields change. (onTouched lost other fields' errors when the
    // blur of the focused field raced the submit's validation.)
    mode: 'onSubmit',
    defaultValues: initial,
  });
  const values = useWatch({ control }) as JobDefinitionInput;
  const type = values.type ?? 'command';
  // Each type keeps what was typed for it, so switching back and forth loses nothing.
  const configs = useRef<{ command: CommandConfig; http: HttpConfig }>({
    ...DEFAULT_CONFIGS,
    [initial.type]: initial.config,
  } as { command: CommandConfig; http: HttpConfig });
  const previousType = useRef(initial.type);

  useEffect(() => {
    const prev = previousType.current;
    if (prev === type) return;
    configs.current = { ...configs.current, [prev]: getValues('config') };
    previousType.current = type;
    setValue('config', configs.current[type] as JobDefinitionInput['config'], { shouldDirty: true });
  }, [type, getValues, setValue]);

  const err = (path: string) => firstMessage(get(errors as FieldErrors, path));
  const described = (name: string, hint = false) =>
    [hint ? `${fid(name)}-hint` : null, `${fid(name)}-error`].filter(Boolean).join(' ');

  const onSubmit = handleSubmit(async (data) => {
    setFormError(null);
    const result = await action(data);
    // On success the action redirects to the job's page and never returns.
    if (result && !result.ok) {
      const rest: string[] = [];
      let first = true;
      for (const error of result.errors) {
        const path = formPath(error.path);
        if (path) {
          setError(path as 'name', { type: 'server', message: error.message }, { shouldFocus: first });
          first = false;
        } else rest.push(`${error.path}: ${error.message}`);
      }
      setFormError([result.errors.length ? null : result.message, ...rest].filter(Boolean).join(' ') || null);
    }
  });

  const busy = isSubmitting || isSubmitSuccessful;
  const parsedDefinition = (jobDefinitionSchema.safeParse(values).data ?? values) as Record<string, unknown>;
  // In the order of DESIGN.md's example definition.
  const definition = JSON.stringify(
    Object.fromEntries(
      [
        'name',
        'description',
        'type',
        'config',
        'concurrency',
        'timeoutSeconds',
        'maxAttempts',
        'paramsSchema',
        'schedules',
      ].map((k) => [k, parsedDefinition[k] ?? null]),
    ),
    null,
    2,
  );

  return (
    <form noValidate onSubmit={onSubmit} className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_minmax(0,22rem)]">
      <div className="flex min-w-0 flex-col gap-6">
        {formError ? <Alert tone="danger">{formError}</Alert> : null}
        {Object.keys(errors).length > 0 && !formError ? (
          <Alert tone="danger">Check the highlighted fields.</Alert>
        ) : null}

        <Card>
          <CardHeader
            title="Job"
            description="Its name is how the API and the CLI refer to it (besides its id): unique in this organisation."
          />
          <CardBody className="grid gap-5">
            <div>
              <Label htmlFor={fid('name')}>Name</Label>
              <Input
                id={fid('name')}
                autoFocus={mode === 'create'}
                autoComplete="off"
                spellCheck={false}
                className="font-mono"
                placeholder="nightly-load"
                aria-invalid={errors.name ? true : undefined}
                aria-describedby={described('name', true)}
                {...register('name')}
              />
              <FieldHint id={`${fid('name')}-hint`}>
                Letters, digits and . _ - (up to 100), starting with a letter or digit.
              </FieldHint>
              <FieldError id={`${fid('name')}-error`}>{err('name')}</FieldError>
            </div>
            <div>
              <Label htmlFor={fid('description')}>Description</Label>
              <Textarea
                id={fid('description')}
                rows={2}
                className="min-h-16"
                placeholder="Optional: what it does, who to ask"
                aria-invalid={errors.description ? true : undefined}
                aria-describedby={described('description')}
                {...register('description')}
              />
              <FieldError id={`${fid('description')}-error`}>{err('description')}</FieldError>
            </div>
          </CardBody>
        </Card>

        <Card>
          <CardHeader
            title="What it runs"
            description="A command on the worker (no shell), or an HTTP request to another service."
          />
          <CardBody className="grid gap-5">
            <fieldset>
              <legend className="mb-1.5 text-sm font-medium text-fg">Type</legend>
              <div className="grid gap-3 sm:grid-cols-2">
                {(
                  [
                    [
                      'command',
                      'Command',
                      'Runs an executable with arguments. Params arrive as JOB_PARAMS (environment and stdin); stdout and stderr become the log.',
                    ],
                    [
                      'http',
                      'HTTP request',
                      'Sends {"runId","jobId","params"} as JSON. A 2xx answer is success; the response goes to the log.',
                    ],
                  ] as const
                ).map(([value, label, hint]) => (
                  <label
                    key={value}
                    className={cn(
                      'flex cursor-pointer gap-3 rounded-md border px-3 py-2.5 text-sm',
                      type === value
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

            {type === 'command' ? (
              <>
                <div>
                  <Label htmlFor={fid('config.command')}>Executable</Label>
                  <Input
                    id={fid('config.command')}
                    autoComplete="off"
                    spellCheck={false}
                    className="font-mono"
                    placeholder="/usr/bin/node"
                    aria-invalid={err('config.command') ? true : undefined}
                    aria-describedby={described('config.command', true)}
                    {...register('config.command')}
                  />
                  <FieldHint id={`${fid('config.command')}-hint`}>
                    A path, or a name found on the worker&apos;s PATH. It is not run through a shell: no
                    pipes, globs or variables.
                    {commandNote ? (
                      <span className="mt-1 block font-medium text-fg">{commandNote}</span>
                    ) : null}
                  </FieldHint>
                  <FieldError id={`${fid('config.command')}-error`}>{err('config.command')}</FieldError>
                </div>
                <div>
                  <p className="mb-1.5 text-sm font-medium text-fg" id={fid('config.args')}>
                    Arguments
                  </p>
                  <Controller
                    control={control}
                    name="config.args"
                    render={({ field }) => (
                      <ListEditor
                        id={fid('config.args')}
                        value={(field.value as string[] | undefined) ?? []}
                        onChange={field.onChange}
                        errors={get(errors as FieldErrors, 'config.args')}
                        itemLabel="Argument"
                        addLabel="Add argument"
                        placeholder="load.js"
                      />
                    )}
                  />
                  <FieldError>
                    {(get(errors as FieldErrors, 'config.args') as { message?: string } | undefined)?.message}
                  </FieldError>
                </div>
                <div>
                  <p className="mb-1.5 text-sm font-medium text-fg">Environment variables</p>
                  <Controller
                    control={control}
                    name="config.env"
                    render={({ field }) => (
                      <KeyValueEditor
                        id={fid('config.env')}
                        value={(field.value as Record<string, string> | undefined) ?? {}}
                        onChange={field.onChange}
                        error={err('config.env')}
                        nameLabel="Variable name"
                        valueLabel="Variable value"
                        addLabel="Add variable"
                        namePlaceholder="STAGE"
                        valuePlaceholder="prod"
                      />
                    )}
                  />
                </div>
                <div>
                  <label className="flex items-start gap-2 text-sm">
                    <input
                      type="checkbox"
                      className="mt-1 accent-[var(--app-accent)]"
                      aria-describedby={`${fid('config.network')}-hint`}
                      {...register('config.network')}
                    />
                    <span className="font-medium text-fg">Network access</span>
                  </label>
                  <FieldHint id={`${fid('config.network')}-hint`} className="ml-6">
                    Lets the command open network connections; without it the run has no network at all. An
                    operator can turn it off for every job.
                  </FieldHint>
                </div>
              </>
            ) : (
              <>
                <div className="grid gap-5 sm:grid-cols-[9rem_minmax(0,1fr)]">
                  <div>
                    <Label htmlFor={fid('config.method')}>Method</Label>
                    <Select id={fid('config.method')} {...register('config.method')}>
                      {['POST', 'PUT', 'PATCH', 'GET', 'DELETE'].map((m) => (
                        <option key={m} value={m}>
                          {m}
                        </option>
                      ))}
                    </Select>
                  </div>
                  <div>
                    <Label htmlFor={fid('config.url')}>URL</Label>
                    <Input
                      id={fid('config.url')}
                      type="url"
                      autoComplete="off"
                      spellCheck={false}
                      className="font-mono"
                      placeholder="https://etl.example.com/hooks/load"
                      aria-invalid={err('config.url') ? true : undefined}
                      aria-describedby={described('config.url')}
                      {...register('config.url')}
                    />
                    <FieldError id={`${fid('config.url')}-error`}>{err('config.url')}</FieldError>
                  </div>
                </div>
                <div>
                  <p className="mb-1.5 text-sm font-medium text-fg">Headers</p>
                  <Controller
                    control={control}
                    name="config.headers"
                    render={({ field }) => (
                      <KeyValueEditor
                        id={fid('config.headers')}
                        value={(field.value as Record<string, string> | undefined) ?? {}}
                        onChange={field.onChange}
                        error={err('config.headers')}
                        nameLabel="Header name"
                        valueLabel="Header value"
                        addLabel="Add header"
                        namePlaceholder="Authorization"
                        valuePlaceholder="Bearer …"
                      />
                    )}
                  />
                </div>
              </>
            )}
          </CardBody>
        </Card>

        <Card>
          <CardHeader title="How it runs" />
          <CardBody className="grid gap-5 sm:grid-cols-2">
            <fieldset className="sm:col-span-2">
              <legend className="mb-1.5 text-sm font-medium text-fg">Concurrency</legend>
              <div className="flex flex-col gap-2 text-sm sm:flex-row sm:gap-6">
                <label className="flex items-start gap-2">
                  <input
                    type="radio"
                    value="single"
                    className="mt-1 accent-[var(--app-accent)]"
                    {...register('concurrency')}
                  />
                  <span>
                    <span className="font-medium">One at a time</span>
                    <span className="block text-xs text-fg-muted">
                      A start while a run is queued or running is refused (409).
                    </span>
                  </span>
                </label>
                <label className="flex items-start gap-2">
                  <input
                    type="radio"
                    value="parallel"
                    className="mt-1 accent-[var(--app-accent)]"
                    {...register('concurrency')}
                  />
                  <span>
                    <span className="font-medium">In parallel</span>
                    <span className="block text-xs text-fg-muted">Every start gets its own run.</span>
                  </span>
                </label>
              </div>
            </fieldset>
            <div>
              <Label htmlFor={fid('timeoutSeconds')}>Timeout (seconds)</Label>
              <Input
                id={fid('timeoutSeconds')}
                type="number"
                inputMode="numeric"
                min={1}
                max={604800}
                aria-invalid={errors.timeoutSeconds ? true : undefined}
                aria-describedby={described('timeoutSeconds', true)}
                {...register('timeoutSeconds', { valueAsNumber: true })}
              />
              <FieldHint id={`${fid('timeoutSeconds')}-hint`}>
                A run still going after this is stopped and marked failed.
              </FieldHint>
              <FieldError id={`${fid('timeoutSeconds')}-error`}>{err('timeoutSeconds')}</FieldError>
            </div>
            <div>
              <Label htmlFor={fid('maxAttempts')}>Attempts</Label>
              <Input
                id={fid('maxAttempts')}
                type="number"
                inputMode="numeric"
                min={1}
                max={10}
                aria-invalid={errors.maxAttempts ? true : undefined}
                aria-describedby={described('maxAttempts', true)}
                {...register('maxAttempts', { valueAsNumber: true })}
              />
              <FieldHint id={`${fid('maxAttempts')}-hint`}>
                How often a run is tried when its worker is lost (1 to 10).
              </FieldHint>
              <FieldError id={`${fid('maxAttempts')}-error`}>{err('maxAttempts')}</FieldError>
            </div>
          </CardBody>
        </Card>

        <Card>
          <CardHeader title="Params" description="What callers may pass in params when they start the job." />
          <CardBody>
            <Controller
              control={control}
              name="paramsSchema"
              render={({ field }) => (
                <ParamsSchemaEditor
                  id={fid('paramsSchema')}
                  value={field.value}
                  onChange={field.onChange}
                  onBlur={field.onBlur}
                  error={err('paramsSchema')}
                />
              )}
            />
          </CardBody>
        </Card>

        <JobSchedulesCard id={fid('schedules')} control={control} errors={errors} />

        <div className="flex items-center justify-end gap-3">
          <Link href={cancelHref} className={buttonClasses({ variant: 'ghost' })}>
            Cancel
          </Link>
          <Button type="submit" disabled={busy}>
            {busy
              ? mode === 'create'
                ? 'Creating…'
                : 'Saving…'
              : mode === 'create'
                ? 'Create job'
                : 'Save changes'}
          </Button>
        </div>
      </div>

      <aside className="min-w-0 xl:sticky xl:top-20 xl:self-start">
        <Card>
          <CardHeader
            title="Definition"
            description="As the admin CLI reads it from a file (job create --file)."
            actions={<CopyButton text={definition} label="Copy" aria-label="Copy the definition" />}
          />
          <CardBody>
            <pre
              // Scrolls when long: keyboard users reach it too.
              tabIndex={0}
              aria-label="Definition preview"
              className="max-h-[36rem] overflow-auto rounded-md bg-surface-muted p-3 font-mono text-xs leading-relaxed break-all whitespace-pre-wrap text-fg"
            >
              {definition}
            </pre>
          </CardBody>
        </Card>
      </aside>
    </form>
  );
}
