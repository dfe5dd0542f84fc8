'use client';

import { useState } from 'react';
import type { ScheduleInput } from '@/lib/validations/schedule';
import { Button } from '@/components/ui/button';
import { FormField } from '@/components/ui/form-field';
import { FieldError, Input, Label, Textarea } from '@/components/ui/input';
import { SchedulePreview } from './schedule-preview';

const COMMON_ZONES = [
  'UTC',
  'Europe/London',
  'Europe/Berlin',
  'Europe/Paris',
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
  'Asia/Tokyo',
  'Asia/Kolkata',
  'Australia/Sydney',
];

type Errors = Record<string, { message?: string } | undefined> | undefined;

function ParamsField({
  id,
  value,
  onChange,
  error,
}: {
  id: string;
  value: unknown;
  onChange: (v: unknown) => void;
  error?: string;
}) {
  const [text, setText] = useState(() =>
    value && typeof value === 'object' && Object.keys(value).length ? JSON.stringify(value) : '',
  );
  return (
    <div>
      <Label htmlFor={id}>Params (JSON, optional)</Label>
      <Textarea
        id={id}
        rows={1}
        spellCheck={false}
        className="min-h-9 font-mono text-xs"
        placeholder='{"day": "yesterday"}'
        value={text}
        aria-invalid={error ? true : undefined}
        onChange={(e) => {
          setText(e.target.value);
          if (e.target.value.trim() === '') return onChange({});
          try {
            onChange(JSON.parse(e.target.value));
          } catch {
            onChange(e.target.value); // the schema then says it is not a JSON object
          }
        }}
      />
      <FieldError>{error}</FieldError>
    </div>
  );
}

/** One schedule: its cron and zone, when it runs next, its params, on/off. */
function ScheduleRow({
  fid,
  zonesId,
  index,
  schedule: s,
  error: e,
  update,
  remove,
}: {
  fid: string;
  zonesId: string;
  index: number;
  schedule: ScheduleInput;
  error: Errors | undefined;
  update: (patch: Partial<ScheduleInput>) => void;
  remove: () => void;
}) {
  return (
    <fieldset className="rounded-md border border-border p-3" aria-label={`Schedule ${index + 1}`}>
      <div className="grid gap-3 sm:grid-cols-[minmax(0,1fr)_minmax(0,14rem)]">
        <FormField id={`${fid}-cron`} label="Cron expression" error={e?.cron?.message}>
          {(control) => (
            <Input
              {...control}
              value={s.cron}
              spellCheck={false}
              autoComplete="off"
              className="font-mono"
              placeholder="30 2 * * *"
              onChange={(ev) => update({ cron: ev.target.value })}
            />
          )}
        </FormField>
        <FormField id={`${fid}-tz`} label="Time zone" error={e?.timezone?.message}>
          {(control) => (
            <Input
              {...control}
              value={s.timezone ?? ''}
              list={zonesId}
              spellCheck={false}
              autoComplete="off"
              placeholder="UTC"
              onChange={(ev) => update({ timezone: ev.target.value })}
            />
          )}
        </FormField>
      </div>
      <div className="mt-3">
        <SchedulePreview cron={s.cron} timezone={s.timezone ?? 'UTC'} />
      </div>
      <div className="mt-3 grid items-end gap-3 sm:grid-cols-[minmax(0,1fr)_auto_auto]">
        <ParamsField
          id={`${fid}-params`}
          value={s.params}
          onChange={(params) => update({ params: params as Record<string, unknown> })}
          error={e?.params?.message}
        />
        <label className="flex items-center gap-2 pb-2 text-sm">
          <input
            type="checkbox"
            className="accent-[var(--app-accent)]"
            checked={s.enabled ?? true}
            onChange={(ev) => update({ enabled: ev.target.checked })}
          />
          On
        </label>
        <Button
          variant="ghost"
          size="sm"
          className="mb-1"
          aria-label={`Remove schedule ${index + 1}`}
          onClick={() => remove()}
        >
          Remove
        </Button>
      </div>
    </fieldset>
  );
}

/** The schedules of a job in the job form: cron, time zone, params, on/off, with a reading and next times. */
export function ScheduleEditor({
  id,
  value,
  onChange,
  errors,
}: {
  id: string;
  value: ScheduleInput[];
  onChange: (v: ScheduleInput[]) => void;
  errors?: Errors[];
}) {
  const [keys, setKeys] = useState(() => value.map((_, i) => i));
  const [nextKey, setNextKey] = useState(value.length);
  const update = (index: number, patch: Partial<ScheduleInput>) =>
    onChange(value.map((s, i) => (i === index ? { ...s, ...patch } : s)));
  const add = () => {
    onChange([...value, { cron: '0 2 * * *', timezone: 'UTC', params: {}, enabled: true }]);
    setKeys([...keys, nextKey]);
    setNextKey(nextKey + 1);
  };
  const remove = (index: number) => {
    onChange(value.filter((_, i) => i !== index));
    setKeys(keys.filter((_, i) => i !== index));
  };
  return (
    <div className="flex flex-col gap-4">
      {value.length === 0 ? (
        <p className="text-sm text-fg-muted">No schedules: the job runs when someone starts it.</p>
      ) : null}
      <datalist id={`${id}-zones`}>
        {COMMON_ZONES.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
      {value.map((s, index) => (
        <ScheduleRow
          key={keys[index]}
          fid={`${id}-${keys[index]}`}
          zonesId={`${id}-zones`}
          index={index}
          schedule={s}
          error={errors?.[index]}
          update={(patch) => update(index, patch)}
          remove={() => remove(index)}
        />
      ))}
      <div>
        <Button variant="secondary" size="sm" onClick={add}>
          + Add schedule
        </Button>
      </div>
    </div>
  );
}
