import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { Table, TableCaption, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { formatTime, keyHint, relativeTime } from './format';
import { KeyStatusBadge } from './key-status-badge';
import type { KeyStatus } from '@/lib/validations/api-key';

export interface KeyRow {
  id: string;
  name: string;
  selector: string;
  description: string | null;
  type: 'personal' | 'functional';
  owner: { email: string; name: string | null };
  masked: string;
  status: KeyStatus;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  rolledAt?: Date | null;
}

/** The key's name (its link), selector and, for a rolled key, the roll date. */
function KeyName({ keyRow: key }: { keyRow: KeyRow }) {
  return (
    <>
      <Link
        href={`/integrations/api-keys/${key.id}`}
        prefetch={false}
        className="font-medium text-accent hover:underline"
      >
        {key.name}
      </Link>
      <div className="truncate font-mono text-xs text-fg-muted" title={key.selector}>
        {key.selector}
      </div>
      {key.rolledAt ? (
        <div className="text-xs text-fg-muted">Rolled on {key.rolledAt.toISOString().slice(0, 10)}</div>
      ) : null}
    </>
  );
}

/** The organisation's keys; tokens only masked (the page never has the whole token). */
export function KeyTable({ keys, caption }: { keys: KeyRow[]; caption: string }) {
  return (
    <Table stack>
      <TableCaption className="sr-only">{caption}</TableCaption>
      <THead>
        <tr>
          <TH>Name / selector</TH>
          <TH>Type</TH>
          <TH>Owner</TH>
          <TH>Key</TH>
          <TH>Created</TH>
          <TH>Last used</TH>
          <TH>Expires</TH>
          <TH>Status</TH>
        </tr>
      </THead>
      <TBody>
        {keys.map((key) => (
          <TR key={key.id} data-key-id={key.id}>
            <TD className="max-w-72">
              <KeyName keyRow={key} />
            </TD>
            <TD label="Type">
              <Badge tone={key.type === 'personal' ? 'info' : 'neutral'}>
                {key.type === 'personal' ? 'Personal' : 'Functional'}
              </Badge>
            </TD>
            <TD label="Owner" className="max-w-48 truncate text-fg-muted" title={key.owner.email}>
              {key.owner.name || key.owner.email}
            </TD>
            <TD label="Key">
              <code className="rounded bg-surface-muted px-1.5 py-0.5 font-mono text-xs whitespace-nowrap text-fg-muted">
                {keyHint(key.id, key.masked)}
              </code>
            </TD>
            <TD label="Created" className="text-xs whitespace-nowrap text-fg-muted">
              <time dateTime={key.createdAt.toISOString()} title={formatTime(key.createdAt)}>
                {formatTime(key.createdAt).slice(0, 10)}
              </time>
            </TD>
            <TD label="Last used" className="text-xs whitespace-nowrap text-fg-muted">
              {key.lastUsedAt ? (
                <time dateTime={key.lastUsedAt.toISOString()} title={formatTime(key.lastUsedAt)}>
                  {relativeTime(key.lastUsedAt)}
                </time>
              ) : (
                'Never'
              )}
            </TD>
            <TD label="Expires" className="text-xs whitespace-nowrap text-fg-muted">
              {key.expiresAt ? (
                <time dateTime={key.expiresAt.toISOString()} title={formatTime(key.expiresAt)}>
                  {formatTime(key.expiresAt).slice(0, 10)}
                </time>
              ) : (
                'Never'
              )}
            </TD>
            <TD label="Status">
              <KeyStatusBadge status={key.status} />
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
