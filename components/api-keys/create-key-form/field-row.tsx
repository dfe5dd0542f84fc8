'use client';

import { Button } from '@/components/ui/button';
import { FieldError, Input, Label } from '@/components/ui/input';
import type { KeyFormKit } from './kit';

/** One additional field: its name and value, and a way to remove it. */
export function FieldRow({ kit, index, onRemove }: { kit: KeyFormKit; index: number; onRemove: () => void }) {
  const { register, errors } = kit;
  const nameError = errors.fields?.[index]?.name?.message;
  const valueError = errors.fields?.[index]?.value?.message;
  return (
    <div
      className="grid items-start gap-3 sm:grid-cols-[minmax(0,2fr)_minmax(0,3fr)_auto]"
      data-testid="additional-field"
    >
      <div>
        <Label htmlFor={`field-${index}-name`}>Field name</Label>
        <Input
          id={`field-${index}-name`}
          autoComplete="off"
          spellCheck={false}
          className="font-mono"
          placeholder="team"
          aria-invalid={nameError ? true : undefined}
          aria-describedby={`field-${index}-name-error`}
          {...register(`fields.${index}.name`)}
        />
        <FieldError id={`field-${index}-name-error`}>{nameError}</FieldError>
      </div>
      <div>
        <Label htmlFor={`field-${index}-value`}>Field value</Label>
        <Input
          id={`field-${index}-value`}
          autoComplete="off"
          spellCheck={false}
          className="font-mono"
          placeholder="data-platform"
          aria-invalid={valueError ? true : undefined}
          aria-describedby={`field-${index}-value-error`}
          {...register(`fields.${index}.value`)}
        />
        <FieldError id={`field-${index}-value-error`}>{valueError}</FieldError>
      </div>
      <Button variant="ghost" className="sm:mt-7" aria-label={`Remove field ${index + 1}`} onClick={onRemove}>
        Remove
      </Button>
    </div>
  );
}
