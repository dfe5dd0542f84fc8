'use client';

import { FormField } from '@/components/ui/form-field';
import { Controller } from 'react-hook-form';
import { Input, Label, Select } from '@/components/ui/input';
import { refsToText, textToRefs } from '@/components/connections/ref-text';
import { KeyValueEditor } from './key-value-editor';
import type { JobFormKit } from './kit';

/** An HTTP job's method, URL and headers. */
export function HttpFields({ kit }: { kit: JobFormKit }) {
  const { register, control, fid, err } = kit;
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
        <FormField id={fid('config.url')} label="URL" error={err('config.url')}>
          {(control) => (
            <Input
              {...control}
              type="url"
              autoComplete="off"
              spellCheck={false}
              className="font-mono"
              placeholder="https://etl.example.com/hooks/load"
              {...register('config.url')}
            />
          )}
        </FormField>
      </div>
      <div>
        <p className="mb-1.5 text-sm font-medium text-fg">Headers</p>
        <Controller
          control={control}
          name="config.headers"
          render={({ field }) => (
            <KeyValueEditor
              id={fid('config.headers')}
              value={refsToText(field.value)}
              onChange={(values) => field.onChange(textToRefs(values))}
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
