'use client';

import { useState } from 'react';
import { Controller, useFieldArray, useWatch } from 'react-hook-form';
import type { PipelineStep } from '@/lib/validations/pipeline';
import { Button } from '@/components/ui/button';
import { FormField } from '@/components/ui/form-field';
import { FieldError, FieldHint, Input, Select, Textarea } from '@/components/ui/input';
import type { JobFormKit } from '@/components/jobs/job-form/kit';

/** A job a step may run (the organisation's jobs that are not pipelines). */
export interface StepJobChoice {
  id: string;
  name: string;
}

type StepInput = Partial<Omit<PipelineStep, 'params'>> & { params?: Record<string, unknown> };

// react-hook-form's paths do not reach into one branch of the definition's union: the step fields are
// named by string, as the form's other cards do for server errors.
type AnyPath = 'name';

/** A pipeline's steps, as a list: each step's id, job, parents, condition and params. */
export function StepEditor({ kit, jobs }: { kit: JobFormKit; jobs: StepJobChoice[] }) {
  const { control, err } = kit;
  const { fields, append, remove } = useFieldArray({ control, name: 'config.steps' as never });
  const steps = (useWatch({ control, name: 'config.steps' as AnyPath }) ?? []) as unknown as StepInput[];
  const nextId = () => {
    const ids = new Set(steps.map((s) => s.id));
    let n = steps.length + 1;
    while (ids.has(`step-${n}`)) n++;
    return `step-${n}`;
  };
  return (
    <div className="flex flex-col gap-4">
      <FieldHint className="mt-0">
        Each step runs a job of this organisation once its parents are done. Steps without parents start
        first; a step whose condition cannot hold any more is skipped.
      </FieldHint>
      {jobs.length === 0 ? (
        <p className="text-sm text-fg-muted">Create the jobs the steps run first: a step runs a job.</p>
      ) : null}
      <FieldError>{err('config.steps')}</FieldError>
      {fields.map((field, i) => (
        <StepFields
          key={field.id}
          kit={kit}
          jobs={jobs}
          index={i}
          others={steps.map((s) => s.id ?? '').filter((id, j) => j !== i && id)}
          onRemove={() => remove(i)}
        />
      ))}
      <div>
        <Button
          variant="secondary"
          onClick={() =>
            append({ id: nextId(), job: '', parents: [], condition: 'succeeded', params: {} } as never)
          }
        >
          Add step
        </Button>
      </div>
    </div>
  );
}

/** One step's fields. */
function StepFields({
  kit,
  jobs,
  index: i,
  others,
  onRemove,
}: {
  kit: JobFormKit;
  jobs: StepJobChoice[];
  index: number;
  /** The other steps' ids, which this one may run after. */
  others: string[];
  onRemove: () => void;
}) {
  const { control, register, fid, err } = kit;
  const path = (name: string) => `config.steps.${i}.${name}`;
  return (
    <fieldset
      className="grid gap-4 rounded-lg border border-border p-4 sm:grid-cols-2"
      data-testid={`step-${i}`}
    >
      <legend className="px-1 text-sm font-semibold text-fg">Step {i + 1}</legend>
      <FormField id={fid(path('id'))} label="Step id" error={err(path('id'))}>
        {(control) => (
          <Input
            {...control}
            autoComplete="off"
            spellCheck={false}
            className="font-mono"
            {...register(path('id') as AnyPath)}
          />
        )}
      </FormField>
      <FormField id={fid(path('job'))} label="Job" error={err(path('job'))}>
        {(control) => (
          <Select {...control} {...register(path('job') as AnyPath)}>
            <option value="">Choose a job…</option>
            {jobs.map((job) => (
              <option key={job.id} value={job.id}>
                {job.name}
              </option>
            ))}
          </Select>
        )}
      </FormField>
      <Controller
        control={control}
        name={path('parents') as AnyPath}
        render={({ field }) => (
          <ParentsField
            value={(field.value as unknown as string[] | undefined) ?? []}
            onChange={field.onChange}
            others={others}
            error={err(path('parents'))}
          />
        )}
      />
      <ConditionField kit={kit} name={path('condition')} />
      <Controller
        control={control}
        name={path('params') as AnyPath}
        render={({ field }) => (
          <ParamsText
            id={fid(path('params'))}
            value={(field.value as unknown as Record<string, unknown> | undefined) ?? {}}
            onChange={field.onChange}
            error={err(path('params'))}
          />
        )}
      />
      <div className="flex items-end justify-end">
        <Button variant="ghost" size="sm" onClick={onRemove} aria-label={`Remove step ${i + 1}`}>
          Remove step
        </Button>
      </div>
    </fieldset>
  );
}

/** When a step runs: after its parents succeeded, or after they finished whatever the outcome. */
function ConditionField({ kit, name }: { kit: JobFormKit; name: string }) {
  const { register, fid, err } = kit;
  return (
    <FormField id={fid(name)} label="Runs when" error={err(name)}>
      {(control) => (
        <Select {...control} {...register(name as AnyPath)}>
          <option value="succeeded">every parent succeeded</option>
          <option value="finished">every parent finished, whatever the outcome</option>
        </Select>
      )}
    </FormField>
  );
}

/** The steps a step runs after, as checkboxes. */
function ParentsField({
  value,
  onChange,
  others,
  error,
}: {
  value: string[];
  onChange: (value: string[]) => void;
  others: string[];
  error?: string;
}) {
  return (
    <fieldset className="min-w-0">
      <legend className="mb-1.5 text-sm font-medium text-fg">Runs after</legend>
      {others.length === 0 ? (
        <p className="text-sm text-fg-muted">No other steps yet: this one starts first.</p>
      ) : (
        <div className="flex flex-wrap gap-x-4 gap-y-1">
          {others.map((id) => (
            <label key={id} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                className="accent-[var(--app-accent)]"
                checked={value.includes(id)}
                onChange={(e) => onChange(e.target.checked ? [...value, id] : value.filter((p) => p !== id))}
              />
              <span className="font-mono">{id}</span>
            </label>
          ))}
        </div>
      )}
      <FieldError>{error}</FieldError>
    </fieldset>
  );
}

/** A step's params as JSON text; a value {"$param": "day"} takes the pipeline run's param "day". */
function ParamsText({
  id,
  value,
  onChange,
  error,
}: {
  id: string;
  value: Record<string, unknown>;
  onChange: (value: Record<string, unknown>) => void;
  error?: string;
}) {
  const [text, setText] = useState(() => (Object.keys(value).length ? JSON.stringify(value) : ''));
  const [parseError, setParseError] = useState<string | null>(null);
  return (
    <FormField
      id={id}
      label="Params (JSON)"
      hint={'Fixed values, or {"$param": "name"} to pass on the pipeline\'s own param.'}
      error={parseError ?? error}
    >
      {(control) => (
        <Textarea
          {...control}
          rows={2}
          spellCheck={false}
          className="min-h-10 font-mono text-xs"
          placeholder='{"day": {"$param": "day"}}'
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            if (e.target.value.trim() === '') {
              setParseError(null);
              return onChange({});
            }
            try {
              const parsed = JSON.parse(e.target.value) as unknown;
              if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
                throw new Error('Give a JSON object');
              setParseError(null);
              onChange(parsed as Record<string, unknown>);
            } catch (error) {
              setParseError(`Not a JSON object yet: ${(error as Error).message}`);
            }
          }}
        />
      )}
    </FormField>
  );
}
