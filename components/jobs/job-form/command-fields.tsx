'use client';

import { FormField } from '@/components/ui/form-field';
import { Controller, get, type FieldErrors } from 'react-hook-form';
import { FieldError, FieldHint, Input } from '@/components/ui/input';
import { refsToText, textToRefs } from '@/components/connections/ref-text';
import { KeyValueEditor } from './key-value-editor';
import type { JobFormKit } from './kit';
import { ListEditor } from './list-editor';

/** A command job's executable, arguments, environment and network switch. */
export function CommandFields({ kit, commandNote }: { kit: JobFormKit; commandNote: string | null }) {
  const { register, control, errors, fid, err } = kit;
  return (
    <>
      <FormField
        id={fid('config.command')}
        label="Executable"
        hint={
          <>
            A path, or a name found on the worker&apos;s PATH. It is not run through a shell: no pipes, globs
            or variables.
            {commandNote ? <span className="mt-1 block font-medium text-fg">{commandNote}</span> : null}
          </>
        }
        error={err('config.command')}
      >
        {(control) => (
          <Input
            {...control}
            autoComplete="off"
            spellCheck={false}
            className="font-mono"
            placeholder="/usr/bin/node"
            {...register('config.command')}
          />
        )}
      </FormField>
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
              value={refsToText(field.value)}
              onChange={(values) => field.onChange(textToRefs(values))}
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
      <NetworkSwitch kit={kit} />
    </>
  );
}

/** Whether the command may open network connections. */
function NetworkSwitch({ kit }: { kit: JobFormKit }) {
  const { register, fid } = kit;
  return (
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
        Lets the command open network connections; without it the run has no network at all. An operator can
        turn it off for every job.
      </FieldHint>
    </div>
  );
}
