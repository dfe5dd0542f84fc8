'use client';

import { get } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { FieldError, Input } from '@/components/ui/input';
import { firstMessage } from './form-paths';

/** An editable list of strings (a command's arguments, member emails), one input a row. */
export function ListEditor({
  id,
  value,
  onChange,
  errors,
  itemLabel,
  addLabel,
  placeholder,
  emptyText = 'No arguments.',
}: {
  id: string;
  value: string[];
  onChange: (v: string[]) => void;
  errors: unknown;
  itemLabel: string;
  addLabel: string;
  placeholder?: string;
  emptyText?: string;
}) {
  return (
    <div className="flex flex-col gap-2">
      {value.length === 0 ? <p className="text-sm text-fg-muted">{emptyText}</p> : null}
      {value.map((item, index) => {
        const error = firstMessage(get(errors, String(index)));
        return (
          <div key={index}>
            <div className="flex items-center gap-2">
              <span aria-hidden="true" className="w-5 text-right text-xs text-fg-muted tabular-nums">
                {index + 1}
              </span>
              <Input
                id={`${id}-${index}`}
                aria-label={`${itemLabel} ${index + 1}`}
                value={item}
                spellCheck={false}
                autoComplete="off"
                className="font-mono"
                placeholder={placeholder}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? `${id}-${index}-error` : undefined}
                onChange={(e) => onChange(value.map((v, i) => (i === index ? e.target.value : v)))}
              />
              <Button
                variant="ghost"
                size="sm"
                aria-label={`Remove ${itemLabel.toLowerCase()} ${index + 1}`}
                onClick={() => onChange(value.filter((_, i) => i !== index))}
              >
                Remove
              </Button>
            </div>
            <FieldError id={`${id}-${index}-error`} className="ml-7">
              {error}
            </FieldError>
          </div>
        );
      })}
      <div>
        <Button variant="secondary" size="sm" onClick={() => onChange([...value, ''])}>
          + {addLabel}
        </Button>
      </div>
    </div>
  );
}
