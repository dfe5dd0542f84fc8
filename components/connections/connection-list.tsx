'use client';

import { useRouter } from 'next/navigation';
import { useId, useState, useTransition } from 'react';
import type { PublicConnection, ReplaceConnectionInput } from '@/lib/validations/connection';
import { formatTime } from '@/components/runs/format';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { FieldHint, Input, Label, Select, Textarea } from '@/components/ui/input';

type Answer = { ok: true } | { ok: false; message: string };

interface Props {
  connections: PublicConnection[];
  /** Editors and above change shared connections; a personal one is always its viewer's own. */
  mayChangeShared: boolean;
  replace: (id: string, input: ReplaceConnectionInput) => Promise<Answer>;
  remove: (id: string) => Promise<Answer>;
}

function StatusBadge({ c }: { c: PublicConnection }) {
  if (c.status === 'expired')
    return <Badge tone="danger">Expired {formatTime(c.expiresAt).slice(0, 10)}</Badge>;
  if (c.status === 'expiring')
    return <Badge tone="warning">Expires {formatTime(c.expiresAt).slice(0, 10)}</Badge>;
  return c.expiresAt ? <Badge>Until {formatTime(c.expiresAt).slice(0, 10)}</Badge> : null;
}

export function ConnectionList({ connections, mayChangeShared, replace, remove }: Props) {
  if (connections.length === 0)
    return (
      <p className="rounded-lg border border-dashed border-border-strong bg-surface px-4 py-6 text-center text-sm text-fg-muted">
        No connections yet.
      </p>
    );
  return (
    <ul className="grid gap-4" aria-label="Connections">
      {connections.map((c) => (
        <li
          key={c.id}
          className="rounded-lg border border-border bg-surface p-4 shadow-sm"
          data-connection={c.name}
        >
          <div className="flex flex-wrap items-center gap-2">
            <h2 className="mr-1 font-mono text-base font-semibold break-all text-fg">{c.name}</h2>
            <Badge tone="info">{c.typeLabel}</Badge>
            <Badge tone={c.scope === 'personal' ? 'progress' : 'neutral'}>
              {c.scope === 'personal' ? 'Personal' : 'Shared'}
            </Badge>
            <StatusBadge c={c} />
          </div>
          {c.description ? <p className="mt-1 text-sm text-fg-muted">{c.description}</p> : null}
          <dl className="mt-3 grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[minmax(8rem,auto)_1fr]">
            {c.fields.map((f) => (
              <div key={f.name} className="contents">
                <dt className="font-mono text-fg-muted">{f.name}</dt>
                <dd className="min-w-0 font-mono break-all text-fg">
                  {f.secret ? (
                    <span className="text-fg-muted">•••••••• secret, write-only</span>
                  ) : f.value !== undefined ? (
                    f.value
                  ) : (
                    <span className="text-fg-muted">hidden from viewers</span>
                  )}
                </dd>
              </div>
            ))}
          </dl>
          <p className="mt-3 text-xs text-fg-muted">
            In a job:{' '}
            <code className="font-mono break-all text-fg">{`{"connection":"${c.name}","field":"${(c.fields.find((f) => f.secret) ?? c.fields[0])?.name ?? 'field'}"}`}</code>
            {' · '}last used {c.lastUsedAt ? formatTime(c.lastUsedAt) : 'never'}
          </p>
          {c.scope === 'personal' || mayChangeShared ? (
            <ConnectionActions connection={c} replace={replace} remove={remove} />
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function ConnectionActions({
  connection: c,
  replace,
  remove,
}: {
  connection: PublicConnection;
  replace: Props['replace'];
  remove: Props['remove'];
}) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [open, setOpen] = useState<'replace' | 'delete' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const act = (work: () => Promise<Answer>, success: string | null) =>
    start(async () => {
      setError(null);
      const result = await work();
      if (!result.ok) return setError(result.message);
      setOpen(null);
      setDone(success);
      router.refresh();
    });
  return (
    <div className="mt-3 flex flex-col gap-2">
      {done ? <Alert tone="success">{done}</Alert> : null}
      <div className="flex flex-wrap gap-2">
        <Button variant="secondary" size="sm" onClick={() => setOpen('replace')}>
          Replace a value<span className="sr-only"> of {c.name}</span>
        </Button>
        <Button variant="danger" size="sm" onClick={() => setOpen('delete')}>
          Delete<span className="sr-only"> {c.name}</span>
        </Button>
      </div>
      <ReplaceDialog
        connection={c}
        open={open === 'replace'}
        pending={pending}
        error={error}
        onClose={() => !pending && setOpen(null)}
        onSubmit={(input) => act(() => replace(c.id, input), `Replaced ${input.fields[0].name}.`)}
      />
      <Dialog
        open={open === 'delete'}
        onClose={() => !pending && setOpen(null)}
        title={`Delete ${c.name}?`}
        description="Runs of jobs that name it fail from now on, saying the connection is not available."
      >
        {error ? <Alert tone="danger">{error}</Alert> : null}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" autoFocus disabled={pending} onClick={() => setOpen(null)}>
            Cancel
          </Button>
          <Button variant="danger" disabled={pending} onClick={() => act(() => remove(c.id), null)}>
            {pending ? 'Deleting…' : 'Delete'}
          </Button>
        </div>
      </Dialog>
    </div>
  );
}

function ReplaceDialog({
  connection: c,
  open,
  pending,
  error,
  onClose,
  onSubmit,
}: {
  connection: PublicConnection;
  open: boolean;
  pending: boolean;
  error: string | null;
  onClose: () => void;
  onSubmit: (input: { fields: { name: string; value: string }[]; expiresAt?: string }) => void;
}) {
  const uid = useId();
  const [field, setField] = useState(c.fields.find((f) => f.secret)?.name ?? c.fields[0]?.name ?? '');
  const multiline = c.type === 'certificate' && field !== 'passphrase';
  const isSecret = c.fields.find((f) => f.name === field)?.secret ?? true;
  const submit = (form: FormData) => {
    const expires = String(form.get('expiresAt') ?? '');
    onSubmit({
      fields: [{ name: field, value: String(form.get('value') ?? '') }],
      ...(expires ? { expiresAt: expires } : {}),
    });
  };
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={`Replace a value of ${c.name}`}
      description="The old value is overwritten; a secret's new value cannot be read back either."
    >
      <form method="post" action={submit} className="grid gap-3">
        {error ? <Alert tone="danger">{error}</Alert> : null}
        <div>
          <Label htmlFor={`${uid}-field`}>Field</Label>
          <Select id={`${uid}-field`} value={field} onChange={(e) => setField(e.target.value)}>
            {c.fields.map((f) => (
              <option key={f.name} value={f.name}>
                {f.name}
                {f.secret ? ' (secret)' : ''}
              </option>
            ))}
          </Select>
        </div>
        <ValueInput id={`${uid}-value`} multiline={multiline} secret={isSecret} />
        <div>
          <Label htmlFor={`${uid}-expires`}>
            New expiry <span className="font-normal text-fg-muted">(optional)</span>
          </Label>
          <Input
            id={`${uid}-expires`}
            name="expiresAt"
            type="date"
            aria-describedby={`${uid}-expires-hint`}
          />
          <FieldHint id={`${uid}-expires-hint`}>Left empty: the expiry stays as it is.</FieldHint>
        </div>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" disabled={pending} onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={pending}>
            {pending ? 'Saving…' : 'Replace'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function ValueInput({ id, multiline, secret }: { id: string; multiline: boolean; secret: boolean }) {
  return (
    <div>
      <Label htmlFor={id}>New value</Label>
      {multiline ? (
        <Textarea id={id} name="value" spellCheck={false} className="font-mono text-xs" required />
      ) : (
        <Input
          id={id}
          name="value"
          type={secret ? 'password' : 'text'}
          autoComplete={secret ? 'new-password' : 'off'}
          spellCheck={false}
          required
        />
      )}
    </div>
  );
}
