'use client';

import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { FieldError, FieldHint, Label, Textarea } from '@/components/ui/input';
import { useKeySecret } from './key-secret';
import { API_KEY_ENV, exportLine, type KeySource } from './snippets';

export const PLACEHOLDER = 'YOUR_API_KEY';

/** The key inline in each snippet (the default) or read from ETL_API_KEY, set once by an export line. */
export function KeySourceSwitch({
  value,
  onChange,
}: {
  value: KeySource;
  onChange: (value: KeySource) => void;
}) {
  const options: { id: KeySource; label: string }[] = [
    { id: 'inline', label: 'In the snippet' },
    { id: 'env', label: `From the environment variable ${API_KEY_ENV}` },
  ];
  return (
    <fieldset className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
      <legend className="mb-1 w-full text-sm font-medium text-fg">
        Where the snippets take the key from
      </legend>
      {options.map((o) => (
        <label key={o.id} className="inline-flex min-h-8 items-center gap-2">
          <input
            type="radio"
            name="key-source"
            value={o.id}
            checked={value === o.id}
            onChange={() => onChange(o.id)}
            className="size-4 accent-accent"
          />
          {o.label}
        </label>
      ))}
    </fieldset>
  );
}

/** The one line that sets ETL_API_KEY in a terminal; Copy asks for the token like every other copy. */
export function ExportLine() {
  const { token, canReveal, busy, copy } = useKeySecret();
  const line = exportLine(token ?? PLACEHOLDER);
  return (
    <div>
      <div className="mb-2 flex items-center justify-between gap-2">
        <p className="text-xs text-fg-muted">
          Run this once in your terminal (bash or zsh); the snippets below read the key from it.
        </p>
        {canReveal ? (
          <Button
            variant="secondary"
            size="sm"
            disabled={busy}
            onClick={() => copy('export line', exportLine)}
            aria-label="Copy export line with the token"
          >
            Copy
          </Button>
        ) : (
          <CopyButton text={line} aria-label="Copy export line" />
        )}
      </div>
      <pre
        data-snippet="export"
        tabIndex={0}
        aria-label="Export line"
        className="overflow-auto rounded-md border border-border bg-surface-muted p-3 font-mono text-xs whitespace-pre-wrap wrap-anywhere text-fg"
      >
        <code>{line}</code>
      </pre>
    </div>
  );
}

/** The params the snippets and "Test" send, as JSON text the person may edit. */
export function ParamsEditor({
  text,
  invalid,
  onChange,
}: {
  text: string;
  invalid: boolean;
  onChange: (text: string) => void;
}) {
  return (
    <div>
      <Label htmlFor="snippet-params">Params (JSON)</Label>
      <Textarea
        id="snippet-params"
        value={text}
        onChange={(e) => onChange(e.target.value)}
        rows={Math.min(10, Math.max(3, text.split('\n').length))}
        spellCheck={false}
        aria-invalid={invalid || undefined}
        aria-describedby="snippet-params-hint"
        className="font-mono text-xs"
      />
      {invalid ? (
        <FieldError id="snippet-params-hint">
          Write a JSON object, such as {'{"region": "eu-west"}'}; the snippets keep the last valid params.
        </FieldError>
      ) : (
        <FieldHint id="snippet-params-hint">
          Filled in from the job’s params schema (defaults, examples, first allowed values); change them here
          and the snippets follow.
        </FieldHint>
      )}
    </div>
  );
}
