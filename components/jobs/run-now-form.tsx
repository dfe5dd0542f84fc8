'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import Link from 'next/link';
import { useId, useMemo, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { runNowSchema, type RunNowInput, type RunNowValues } from '@/lib/validations/job';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FieldError, FieldHint, Input, Label, Select, Textarea } from '@/components/ui/input';

export interface RunNowFailure {
  ok: false;
  message: string;
  errors: { path: string; message: string }[];
  activeRunId?: string;
}

interface SimpleProp {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean';
  enum?: (string | number)[];
  description?: string;
  required: boolean;
  min?: number;
  max?: number;
  maxLength?: number;
}

/** The params schema's top-level properties that a plain input can edit (text, numbers, true/false, choices). */
export function simpleProperties(schema: unknown): SimpleProp[] {
  if (!schema || typeof schema !== 'object') return [];
  const s = schema as { properties?: Record<string, unknown>; required?: unknown };
  if (!s.properties || typeof s.properties !== 'object') return [];
  const required = Array.isArray(s.required)
    ? s.required.filter((r): r is string => typeof r === 'string')
    : [];
  const props: SimpleProp[] = [];
  for (const [name, raw] of Object.entries(s.properties)) {
    if (!raw || typeof raw !== 'object') continue;
    const p = raw as {
      type?: unknown;
      enum?: unknown;
      description?: unknown;
      minimum?: unknown;
      maximum?: unknown;
      maxLength?: unknown;
    };
    if (p.type !== 'string' && p.type !== 'integer' && p.type !== 'number' && p.type !== 'boolean') continue;
    props.push({
      name,
      type: p.type,
      enum:
        Array.isArray(p.enum) && p.enum.every((e) => typeof e === 'string' || typeof e === 'number')
          ? (p.enum as (string | number)[])
          : undefined,
      description: typeof p.description === 'string' ? p.description : undefined,
      required: required.includes(name),
      min: typeof p.minimum === 'number' ? p.minimum : undefined,
      max: typeof p.maximum === 'number' ? p.maximum : undefined,
      maxLength: typeof p.maxLength === 'number' ? p.maxLength : undefined,
    });
  }
  return props.slice(0, 12);
}

function parseObject(text: string): Record<string, unknown> | null {
  if (text.trim() === '') return {};
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** "Run now": params as JSON (and fields for the schema's simple properties, kept in step with it). */
export function RunNowForm({
  jobName,
  paramsSchema,
  initialParams,
  action,
}: {
  jobName: string;
  paramsSchema: unknown;
  initialParams: string;
  action: (input: RunNowInput) => Promise<RunNowFailure>;
}) {
  const uid = useId();
  const paramsId = `run-params-${uid}`;
  const props = useMemo(() => simpleProperties(paramsSchema), [paramsSchema]);
  const [formError, setFormError] = useState<{ message: string; activeRunId?: string } | null>(null);
  const [propErrors, setPropErrors] = useState<Record<string, string>>({});
  const {
    register,
    control,
    handleSubmit,
    setError,
    setValue,
    formState: { errors, isSubmitting, isSubmitSuccessful },
  } = useForm<RunNowInput, unknown, RunNowValues>({
    resolver: zodResolver(runNowSchema),
    mode: 'onTouched',
    defaultValues: { params: initialParams },
  });
  const text = useWatch({ control, name: 'params' }) ?? '';
  const parsed = parseObject(text);

  const setProp = (prop: SimpleProp, raw: string) => {
    const next = { ...(parsed ?? {}) };
    if (raw === '') delete next[prop.name];
    else if (prop.type === 'boolean') next[prop.name] = raw === 'true';
    else if (prop.type === 'integer' || prop.type === 'number')
      next[prop.name] = Number.isFinite(Number(raw)) ? Number(raw) : raw;
    else next[prop.name] = raw;
    setPropErrors((e) => ({ ...e, [prop.name]: '' }));
    setValue('params', Object.keys(next).length ? JSON.stringify(next, null, 2) : '{}', {
      shouldValidate: true,
      shouldDirty: true,
    });
  };

  const onSubmit = handleSubmit(async (data) => {
    setFormError(null);
    setPropErrors({});
    const result = await action({ params: JSON.stringify(data.params) });
    // On success the action opens the new run and never returns.
    if (result && !result.ok) {
      const paramsErrors = result.errors.filter((e) => e.path === 'params' || e.path.startsWith('params.'));
      if (paramsErrors.length) {
        const byProp: Record<string, string> = {};
        for (const e of paramsErrors) {
          const prop = e.path.split('.')[1];
          if (prop && props.some((p) => p.name === prop)) byProp[prop] = e.message;
        }
        setPropErrors(byProp);
        setError(
          'params',
          {
            type: 'server',
            message: paramsErrors
              .map((e) => (e.path === 'params' ? e.message : `${e.path.slice(7)}: ${e.message}`))
              .join('; '),
          },
          { shouldFocus: true },
        );
        setFormError({ message: result.message });
      } else {
        setFormError({ message: result.message, activeRunId: result.activeRunId });
      }
    }
  });

  const busy = isSubmitting || isSubmitSuccessful;

  return (
    <form noValidate onSubmit={onSubmit} className="flex flex-col gap-4" aria-label={`Run ${jobName} now`}>
      {formError ? (
        <Alert tone="danger">
          {formError.message}
          {formError.activeRunId ? (
            <>
              {' '}
              <Link href={`/runs/${formError.activeRunId}`} className="font-medium text-accent underline">
                Open the active run
              </Link>
            </>
          ) : null}
        </Alert>
      ) : null}
      {props.length > 0 ? (
        <div className="grid gap-4 sm:grid-cols-2">
          {props.map((prop) => {
            const id = `run-prop-${prop.name}-${uid}`;
            const current = parsed?.[prop.name];
            const value =
              current === undefined || current === null
                ? ''
                : typeof current === 'object'
                  ? JSON.stringify(current)
                  : String(current);
            const error = propErrors[prop.name];
            const hint = [
              prop.description,
              prop.type === 'integer'
                ? 'A whole number'
                : prop.type === 'number'
                  ? 'A number'
                  : prop.maxLength !== undefined
                    ? `Text, up to ${prop.maxLength} characters`
                    : null,
              prop.min !== undefined ? `at least ${prop.min}` : null,
              prop.max !== undefined ? `at most ${prop.max}` : null,
            ]
              .filter(Boolean)
              .join(', ');
            return (
              <div key={prop.name}>
                <Label htmlFor={id}>
                  <span className="font-mono">{prop.name}</span>
                  {prop.required ? (
                    <span className="text-fg-muted"> (required)</span>
                  ) : (
                    <span className="font-normal text-fg-muted"> (optional)</span>
                  )}
                </Label>
                {prop.enum || prop.type === 'boolean' ? (
                  <Select
                    id={id}
                    value={value}
                    disabled={parsed === null}
                    onChange={(e) => setProp(prop, e.target.value)}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={`${id}-hint ${id}-error`}
                  >
                    <option value="">(not set)</option>
                    {(prop.enum ?? ['true', 'false']).map((option) => (
                      <option key={String(option)} value={String(option)}>
                        {String(option)}
                      </option>
                    ))}
                  </Select>
                ) : (
                  <Input
                    id={id}
                    type={prop.type === 'string' ? 'text' : 'number'}
                    inputMode={
                      prop.type === 'integer' ? 'numeric' : prop.type === 'number' ? 'decimal' : undefined
                    }
                    min={prop.min}
                    max={prop.max}
                    step={prop.type === 'integer' ? 1 : 'any'}
                    value={value}
                    disabled={parsed === null}
                    autoComplete="off"
                    onChange={(e) => setProp(prop, e.target.value)}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={`${id}-hint ${id}-error`}
                  />
                )}
                <FieldHint id={`${id}-hint`}>
                  {hint || (prop.type === 'boolean' ? 'true or false' : 'Text')}
                </FieldHint>
                <FieldError id={`${id}-error`}>{error}</FieldError>
              </div>
            );
          })}
        </div>
      ) : null}
      <div>
        <Label htmlFor={paramsId}>Params (JSON)</Label>
        <Textarea
          id={paramsId}
          rows={props.length > 0 ? 4 : 5}
          spellCheck={false}
          className="font-mono text-xs"
          placeholder="{}"
          aria-invalid={errors.params ? true : undefined}
          aria-describedby={`${paramsId}-hint ${paramsId}-error`}
          {...register('params', { onChange: () => setPropErrors({}) })}
        />
        <FieldHint id={`${paramsId}-hint`}>
          A JSON object. {props.length > 0 ? 'The fields above fill it in; ' : ''}
          {paramsSchema
            ? 'it must fit the job’s params schema.'
            : 'This job has no params schema: any object is accepted.'}
          {parsed === null && props.length > 0 ? ' Fix the JSON to use the fields again.' : ''}
        </FieldHint>
        <FieldError id={`${paramsId}-error`}>{errors.params?.message}</FieldError>
      </div>
      <div className="flex justify-end">
        <Button type="submit" disabled={busy}>
          <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4">
            <path
              fill="currentColor"
              d="M6.3 3.2A1 1 0 0 0 4.8 4v12a1 1 0 0 0 1.5.9l9.6-6a1 1 0 0 0 0-1.8l-9.6-6Z"
            />
          </svg>
          {busy ? 'Starting…' : 'Run now'}
        </Button>
      </div>
    </form>
  );
}
