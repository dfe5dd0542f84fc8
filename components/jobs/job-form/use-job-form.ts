'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useId, useRef, useState } from 'react';
import { get, useForm, useWatch, type FieldErrors } from 'react-hook-form';
import {
  jobDefinitionSchema,
  type CommandConfig,
  type HttpConfig,
  type JobDefinition,
  type JobDefinitionInput,
} from '@/lib/validations/job';
import type { PipelineConfig } from '@/lib/validations/pipeline';
import { firstMessage, formPath } from './form-paths';
import type { JobFormKit } from './kit';

export interface JobFormFailure {
  ok: false;
  message: string;
  errors: { path: string; message: string }[];
}

type Configs = { command: CommandConfig; http: HttpConfig; pipeline: PipelineConfig };
const DEFAULT_CONFIGS = {
  command: { command: '', args: [], env: {}, network: false },
  http: { method: 'POST', url: '', headers: {} },
  pipeline: { steps: [{ id: 'step-1', job: '', parents: [], condition: 'succeeded', params: {} }] },
} as Configs;

/** The form, the type it shows, and its submit, which puts the server's field errors beside the fields. */
export function useJobForm(
  initial: JobDefinitionInput,
  action: (input: JobDefinitionInput) => Promise<JobFormFailure>,
) {
  const uid = useId();
  const fid = (name: string) => `job-${name.replace(/\./g, '-')}-${uid}`;
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<JobDefinitionInput, unknown, JobDefinition>({
    resolver: zodResolver(jobDefinitionSchema),
    // Validated on submit, then again as fields change. (onTouched lost other fields' errors when the
    // blur of the focused field raced the submit's validation.)
    mode: 'onSubmit',
    defaultValues: initial,
  });
  const { register, control, handleSubmit, setError, formState } = form;
  const values = useWatch({ control }) as JobDefinitionInput;
  const type = values.type ?? 'command';
  useKeepConfigs(initial, type, form);

  const onSubmit = handleSubmit(async (data) => {
    setFormError(null);
    const result = await action(data);
    // On success the action redirects to the job's page and never returns.
    if (result && !result.ok) setFormError(placeErrors(result, setError));
  });

  const errors = formState.errors;
  const kit: JobFormKit = {
    register,
    control,
    errors,
    fid,
    err: (path) => firstMessage(get(errors as FieldErrors, path)),
  };
  const busy = formState.isSubmitting || formState.isSubmitSuccessful;
  return { kit, values, type, formError, onSubmit, busy };
}

/** Each type keeps what was typed for it, so switching back and forth loses nothing. */
function useKeepConfigs(
  initial: JobDefinitionInput,
  type: JobDefinitionInput['type'],
  {
    getValues,
    setValue,
  }: Pick<ReturnType<typeof useForm<JobDefinitionInput, unknown, JobDefinition>>, 'getValues' | 'setValue'>,
) {
  const configs = useRef<Configs>({ ...DEFAULT_CONFIGS, [initial.type]: initial.config } as Configs);
  const previousType = useRef(initial.type);
  useEffect(() => {
    const prev = previousType.current;
    if (prev === type) return;
    configs.current = { ...configs.current, [prev]: getValues('config') };
    previousType.current = type;
    setValue('config', configs.current[type] as JobDefinitionInput['config'], { shouldDirty: true });
  }, [type, getValues, setValue]);
}

/** Sets each server error on its field (focusing the first); returns the message for the rest, if any. */
function placeErrors(
  result: JobFormFailure,
  setError: (
    name: 'name',
    error: { type: string; message: string },
    options: { shouldFocus: boolean },
  ) => void,
): string | null {
  const rest: string[] = [];
  let first = true;
  for (const error of result.errors) {
    const path = formPath(error.path);
    if (path) {
      setError(path as 'name', { type: 'server', message: error.message }, { shouldFocus: first });
      first = false;
    } else rest.push(`${error.path}: ${error.message}`);
  }
  return [result.errors.length ? null : result.message, ...rest].filter(Boolean).join(' ') || null;
}
