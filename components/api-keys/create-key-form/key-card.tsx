'use client';

import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { FieldError, FieldHint, Input, Label, Textarea } from '@/components/ui/input';
import type { KeyFormKit } from './kit';
import { KeyTypePicker } from './key-type-picker';

/** The key's name, selector, description and type. */
export function KeyCard({ kit, type }: { kit: KeyFormKit; type: string | undefined }) {
  const { register, errors, fieldId, describedBy } = kit;
  return (
    <Card>
      <CardHeader
        title="Key"
        description="What the key is called and who it belongs to. Name and selector are signed into the token."
      />
      <CardBody className="grid gap-5 sm:grid-cols-2">
        <div>
          <Label htmlFor={fieldId('name')}>Name</Label>
          <Input
            id={fieldId('name')}
            autoFocus
            autoComplete="off"
            placeholder="nightly-etl"
            aria-invalid={errors.name ? true : undefined}
            aria-describedby={describedBy('name', true)}
            {...register('name')}
          />
          <FieldHint id={`${fieldId('name')}-hint`}>
            The <code>app</code> claim: the application that will use the key.
          </FieldHint>
          <FieldError id={`${fieldId('name')}-error`}>{errors.name?.message}</FieldError>
        </div>
        <div>
          <Label htmlFor={fieldId('selector')}>Selector</Label>
          <Input
            id={fieldId('selector')}
            autoComplete="off"
            placeholder="pipeline-eu-1"
            aria-invalid={errors.selector ? true : undefined}
            aria-describedby={describedBy('selector', true)}
            {...register('selector')}
          />
          <FieldHint id={`${fieldId('selector')}-hint`}>
            The <code>uid</code> claim: which caller or instance this is.
          </FieldHint>
          <FieldError id={`${fieldId('selector')}-error`}>{errors.selector?.message}</FieldError>
        </div>
        <div className="sm:col-span-2">
          <Label htmlFor={fieldId('description')}>Description</Label>
          <Textarea
            id={fieldId('description')}
            rows={2}
            className="min-h-16"
            placeholder="Optional: what it is for, who to ask"
            aria-invalid={errors.description ? true : undefined}
            aria-describedby={describedBy('description')}
            {...register('description')}
          />
          <FieldError id={`${fieldId('description')}-error`}>{errors.description?.message}</FieldError>
        </div>
        <KeyTypePicker kit={kit} type={type} />
      </CardBody>
    </Card>
  );
}
