'use client';

import { FieldError, FieldHint, Input, Label, Select } from '@/components/ui/input';
import { propHint, type SimpleProp } from './params';

/** A field for one simple property of the params schema: a choice, true/false, a number or text. */
export function PropField({
  id,
  prop,
  value,
  disabled,
  error,
  onChange,
}: {
  id: string;
  prop: SimpleProp;
  value: string;
  disabled: boolean;
  error: string | undefined;
  onChange: (raw: string) => void;
}) {
  const control = {
    id,
    value,
    disabled,
    onChange: (e: { target: { value: string } }) => onChange(e.target.value),
    'aria-invalid': error ? true : undefined,
    'aria-describedby': `${id}-hint ${id}-error`,
  } as const;
  return (
    <div>
      <Label htmlFor={id}>
        <span className="font-mono">{prop.name}</span>
        {prop.required ? (
          <span className="text-fg-muted"> (required)</span>
        ) : (
          <span className="font-normal text-fg-muted"> (optional)</span>
        )}
      </Label>
      {prop.enum || prop.type === 'boolean' ? (
        <Select {...control}>
          <option value="">(not set)</option>
          {(prop.enum ?? ['true', 'false']).map((option) => (
            <option key={String(option)} value={String(option)}>
              {String(option)}
            </option>
          ))}
        </Select>
      ) : (
        <Input
          {...control}
          type={prop.type === 'string' ? 'text' : 'number'}
          inputMode={prop.type === 'integer' ? 'numeric' : prop.type === 'number' ? 'decimal' : undefined}
          min={prop.min}
          max={prop.max}
          step={prop.type === 'integer' ? 1 : 'any'}
          autoComplete="off"
        />
      )}
      <FieldHint id={`${id}-hint`}>{propHint(prop)}</FieldHint>
      <FieldError id={`${id}-error`}>{error}</FieldError>
    </div>
  );
}
