'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import Link from 'next/link';
import { useId, useMemo, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { runNowSchema, type RunNowInput, type RunNowValues } from '@/lib/validations/job';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FieldError, FieldHint, Label, Textarea } from '@/components/ui/input';
import { paramsErrors, parseObject, propText, simpleProperties, withProp } from './params';
import { PropField } from './prop-field';

export { simpleProperties } from './params';

export interface RunNowFailure {
  ok: false;
  message: string;
  errors: { path: string; message: string }[];
  activeRunId?: string;
}

type FormError = { message: string; activeRunId?: string };

/** Why the start was refused, with a link to the run that holds a one-at-a-time job. */
function RefusedAlert({ error }: { error: FormError }) {
  return (
    <Alert tone="danger">
      {error.message}
      {error.activeRunId ? (
        <>
          {' '}
          <Link href={`/runs/${error.activeRunId}`} className="font-medium text-accent underline">
            Open the active run
          </Link>
        </>
      ) : null}
    </Alert>
  );
}

/** The form and its submit, which puts the server's params errors beside the fields. */
function useRunNowForm(
  initialParams: string,
  props: ReturnType<typeof simpleProperties>,
  action: (input: RunNowInput) => Promise<RunNowFailure>,
) {
  const [formError, setFormError] = useState<FormError | null>(null);
  const [propErrors, setPropErrors] = useState<Record<string, string>>({});
  const form = useForm<RunNowInput, unknown, RunNowValues>({
    resolver: zodResolver(runNowSchema),
    mode: 'onTouched',
    defaultValues: { params: initialParams },
  });
  const onSubmit = form.handleSubmit(async (data) => {
    setFormError(null);
    setPropErrors({});
    const result = await action({ params: JSON.stringify(data.params) });
    // On success the action opens the new run and never returns.
    if (!result || result.ok) return;
    const about = paramsErrors(result.errors, props);
    if (!about) return setFormError({ message: result.message, activeRunId: result.activeRunId });
    setPropErrors(about.byProp);
    form.setError('params', { type: 'server', message: about.message }, { shouldFocus: true });
    setFormError({ message: result.message });
  });
  return { form, onSubmit, formError, propErrors, setPropErrors };
}

function RunButton({ busy }: { busy: boolean }) {
  return (
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
  );
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
  const { form, onSubmit, formError, propErrors, setPropErrors } = useRunNowForm(
    initialParams,
    props,
    action,
  );
  const { register, control, setValue, formState } = form;
  const errors = formState.errors;
  const text = useWatch({ control, name: 'params' }) ?? '';
  const parsed = parseObject(text);
  const setProp = (name: string, next: string) => {
    setPropErrors((e) => ({ ...e, [name]: '' }));
    setValue('params', next, { shouldValidate: true, shouldDirty: true });
  };
  const busy = formState.isSubmitting || formState.isSubmitSuccessful;

  return (
    <form
      method="post"
      noValidate
      onSubmit={onSubmit}
      className="flex flex-col gap-4"
      aria-label={`Run ${jobName} now`}
    >
      {formError ? <RefusedAlert error={formError} /> : null}
      {props.length > 0 ? (
        <div className="grid gap-4 sm:grid-cols-2">
          {props.map((prop) => (
            <PropField
              key={prop.name}
              id={`run-prop-${prop.name}-${uid}`}
              prop={prop}
              value={propText(parsed?.[prop.name])}
              disabled={parsed === null}
              error={propErrors[prop.name]}
              onChange={(raw) => setProp(prop.name, withProp(parsed, prop, raw))}
            />
          ))}
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
      <RunButton busy={busy} />
    </form>
  );
}
