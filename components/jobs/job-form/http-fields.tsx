'use client';

import { Controller } from 'react-hook-form';
import { FieldError, Input, Label, Select } from '@/components/ui/input';
import { KeyValueEditor } from './key-value-editor';
import type { JobFormKit } from './kit';

/** An HTTP job's method, URL and headers. */
export function HttpFields({ kit }: { kit: JobFormKit }) {
  const { register, control, fid, err, described } = kit;
  return (
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
  );
}
