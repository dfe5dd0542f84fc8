'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { FieldError, Input } from '@/components/ui/input';

function PairRow({
  index,
  row,
  labels,
  placeholders,
  onChange,
  onRemove,
}: {
  index: number;
  row: Row;
  labels: { name: string; value: string };
  placeholders: { name?: string; value?: string };
  onChange: (row: Row) => void;
  onRemove: () => void;
}) {
  return (
    <div className="grid grid-cols-[minmax(0,2fr)_minmax(0,3fr)_auto] items-center gap-2">
      <Input
        aria-label={`${labels.name} ${index + 1}`}
        value={row.name}
        spellCheck={false}
        autoComplete="off"
        className="font-mono"
        placeholder={placeholders.name}
        onChange={(e) => onChange({ ...row, name: e.target.value })}
      />
      <Input
        aria-label={`${labels.value} ${index + 1}`}
        value={row.value}
        spellCheck={false}
        autoComplete="off"
        className="font-mono"
        placeholder={placeholders.value}
        onChange={(e) => onChange({ ...row, value: e.target.value })}
      />
      <Button
        variant="ghost"
        size="sm"
        aria-label={`Remove ${labels.name.toLowerCase()} ${index + 1}`}
        onClick={onRemove}
      >
        Remove
      </Button>
    </div>
  );
}

/** Name/value pairs (environment variables, headers), edited as rows; the last of two equal names wins. */
type Row = { key: number; name: string; value: string };

let lastRowKey = 0;
const rowKey = () => ++lastRowKey;

export function KeyValueEditor({
  id,
  value,
  onChange,
  error,
  nameLabel,
  valueLabel,
  addLabel,
  namePlaceholder,
  valuePlaceholder,
}: {
  id: string;
  value: Record<string, string>;
  onChange: (v: Record<string, string>) => void;
  error?: string;
  nameLabel: string;
  valueLabel: string;
  addLabel: string;
  namePlaceholder?: string;
  valuePlaceholder?: string;
}) {
  const [rows, setRows] = useState<Row[]>(() =>
    Object.entries(value ?? {}).map(([name, v]) => ({ key: rowKey(), name, value: v })),
  );
  const update = (next: Row[]) => {
    setRows(next);
    onChange(
      Object.fromEntries(next.filter((r) => r.name.trim() !== '').map((r) => [r.name.trim(), r.value])),
    );
  };
  const names = rows.map((r) => r.name.trim()).filter(Boolean);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  return (
    <div className="flex flex-col gap-2">
      {rows.length === 0 ? <p className="text-sm text-fg-muted">None.</p> : null}
      {rows.map((row, index) => (
        <PairRow
          key={row.key}
          index={index}
          row={row}
          labels={{ name: nameLabel, value: valueLabel }}
          placeholders={{ name: namePlaceholder, value: valuePlaceholder }}
          onChange={(next) => update(rows.map((r) => (r.key === row.key ? next : r)))}
          onRemove={() => update(rows.filter((r) => r.key !== row.key))}
        />
      ))}
      <FieldError id={`${id}-error`}>
        {error ?? (duplicate ? `"${duplicate}" appears twice; the last one wins.` : null)}
      </FieldError>
      <div>
        <Button
          variant="secondary"
          size="sm"
          onClick={() => update([...rows, { key: rowKey(), name: '', value: '' }])}
        >
          + {addLabel}
        </Button>
      </div>
    </div>
  );
}
