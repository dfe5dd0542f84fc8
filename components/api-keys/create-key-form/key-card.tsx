'use client';

import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { FormField } from '@/components/ui/form-field';
import { Input, Textarea } from '@/components/ui/input';
import type { KeyFormKit } from './kit';
import { KeyTypePicker } from './key-type-picker';

/** The key's name, selector, description and type. */
export function KeyCard({ kit, type }: { kit: KeyFormKit; type: string | undefined }) {
  const { register, errors, fieldId } = kit;
  return (
    <Card>
      <CardHeader
        title="Key"
        description="What the key is called and who it belongs to. Name and selector are signed into the token."
      />
      <CardBody className="grid gap-5 sm:grid-cols-2">
        <FormField
          id={fieldId('name')}
          label="Name"
          hint={
            <>
              The <code>app</code> claim: the application that will use the key.
            </>
          }
          error={errors.name?.message}
        >
          {(control) => (
            <Input
              {...control}
              autoFocus
              autoComplete="off"
              placeholder="nightly-etl"
              {...register('name')}
            />
          )}
        </FormField>
        <FormField
          id={fieldId('selector')}
          label="Selector"
          hint={
            <>
              A short name for the program or machine that will use the key, such as{' '}
              <code>pipeline-eu-1</code>. Signed into the token as <code>uid</code>, so the job’s logs and
              your own can tell callers apart.
            </>
          }
          error={errors.selector?.message}
        >
          {(control) => (
            <Input {...control} autoComplete="off" placeholder="pipeline-eu-1" {...register('selector')} />
          )}
        </FormField>
        <FormField
          id={fieldId('description')}
          label="Description"
          className="sm:col-span-2"
          error={errors.description?.message}
        >
          {(control) => (
            <Textarea
              {...control}
              rows={2}
              className="min-h-16"
              placeholder="Optional: what it is for, who to ask"
              {...register('description')}
            />
          )}
        </FormField>
        <KeyTypePicker kit={kit} type={type} />
      </CardBody>
    </Card>
  );
}
