'use client';

import { useState } from 'react';
import type { ScheduleInput } from '@/lib/validations/schedule';
import { Button } from '@/components/ui/button';
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
      {value.map((s, index) => {
        const fid = `${id}-${keys[index]}`;
        const e = errors?.[index];
        return (
          <fieldset
            key={keys[index]}
            className="rounded-md border border-border p-3"
            aria-label={`Schedule ${index + 1}`}
          >
            <div className="grid gap-3 sm:grid-cols-[minmax(0,1fr)_minmax(0,14rem)]">
              <div>
                <Label htmlFor={`${fid}-cron`}>Cron expression</Label>
                <Input
                  id={`${fid}-cron`}
                  value={s.cron}
                  spellCheck={false}
                  autoComplete="off"
                  className="font-mono"
                  placeholder="30 2 * * *"
                  aria-invalid={e?.cron ? true : undefined}
                  onChange={(ev) => update(index, { cron: ev.target.value })}
                />
                <FieldError>{e?.cron?.message}</FieldError>
              </div>
              <div>
                <Label htmlFor={`${fid}-tz`}>Time zone</Label>
                <Input
                  id={`${fid}-tz`}
                  value={s.timezone ?? ''}
                  list={`${id}-zones`}
                  spellCheck={false}
                  autoComplete="off"
                  placeholder="UTC"
                  aria-invalid={e?.timezone ? true : undefined}
                  onChange={(ev) => update(index, { timezone: ev.target.value })}
                />
                <FieldError>{e?.timezone?.message}</FieldError>
              </div>
            </div>
            <div className="mt-3">
              <SchedulePreview cron={s.cron} timezone={s.timezone ?? 'UTC'} />
            </div>
            <div className="mt-3 grid items-end gap-3 sm:grid-cols-[minmax(0,1fr)_auto_auto]">
              <ParamsField
                id={`${fid}-params`}
                value={s.params}
                onChange={(params) => update(index, { params: params as Record<string, unknown> })}
                error={e?.params?.message}
              />
              <label className="flex items-center gap-2 pb-2 text-sm">
                <input
                  type="checkbox"
                  className="accent-[var(--app-accent)]"
                  checked={s.enabled ?? true}
                  onChange={(ev) => update(index, { enabled: ev.target.checked })}
                />
                On
              </label>
              <Button
                variant="ghost"
                size="sm"
                className="mb-1"
                aria-label={`Remove schedule ${index + 1}`}
                onClick={() => remove(index)}
              >
                Remove
              </Button>
            </div>
          </fieldset>
        );
      })}
      <div>
        <Button variant="secondary" size="sm" onClick={add}>
          + Add schedule
        </Button>
      </div>
    </div>
  );
}
