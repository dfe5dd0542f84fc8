'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { FieldError, FieldHint, Label, Textarea } from '@/components/ui/input';

const PARAMS_SCHEMA_EXAMPLE = JSON.stringify(
  {
    type: 'object',
    properties: { name: { type: 'string', maxLength: 200 } },
    required: ['name'],
    additionalProperties: false,
  },
  null,
  2,
);

/** The job's params schema as JSON text: parsed as it is typed, kept as text while it is not JSON. */
export function ParamsSchemaEditor({
  id,
  value,
  onChange,
  onBlur,
  error,
}: {
  id: string;
  value: unknown;
  onChange: (v: unknown) => void;
  onBlur: () => void;
  error?: string;
}) {
  const [text, setText] = useState(() =>
    value && typeof value === 'object'
      ? JSON.stringify(value, null, 2)
      : typeof value === 'string'
        ? value
        : '',
  );
  const change = (next: string) => {
    setText(next);
    if (next.trim() === '') return onChange(null);
    try {
      onChange(JSON.parse(next));
    } catch {
      // Left as text: the schema then says it is not a JSON object.
      onChange(next);
    }
  };
  return (
    <div>
      <div className="mb-1.5 flex items-end justify-between gap-2">
        <Label htmlFor={id} className="mb-0">
          Params schema (JSON Schema, optional)
        </Label>
        {text.trim() === '' ? (
          <Button variant="ghost" size="sm" onClick={() => change(PARAMS_SCHEMA_EXAMPLE)}>
            Insert an example
          </Button>
        ) : null}
      </div>
      <Textarea
        id={id}
        rows={8}
        spellCheck={false}
        className="font-mono text-xs"
        placeholder={'{\n  "type": "object",\n  "properties": { "name": { "type": "string" } }\n}'}
        value={text}
        onChange={(e) => change(e.target.value)}
        onBlur={onBlur}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-hint ${id}-error`}
      />
      <FieldHint id={`${id}-hint`}>
        Starts are refused (422) when their params do not fit. Empty: any JSON object is accepted. Simple
        properties (text, numbers, true/false) also get their own fields in “Run now”.
      </FieldHint>
      <FieldError id={`${id}-error`}>{error}</FieldError>
    </div>
  );
}
