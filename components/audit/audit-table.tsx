import Link from 'next/link';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Table, TableCaption, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { relativeTime } from '@/components/api-keys/format';
import { actionLabel } from './audit-labels';
import type { AuditItem as AuditRow } from '@/lib/validations/audit';

function tone(action: string): BadgeTone {
  if (action === 'key.revoked') return 'danger';
  if (action === 'key.revealed' || action === 'key.copied') return 'warning';
  if (action.startsWith('job.')) return 'progress';
  if (action.startsWith('member.')) return 'info';
  return 'neutral';
}

function utc(d: Date) {
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A key's event: the key, what it replaced, its old name or its test. */
function KeySubject({ row, name }: { row: AuditRow; name: string | null }) {
  const d = row.details;
  const id = (row.target ?? '').slice(4);
  return (
    <span>
      <Link
        href={`/integrations/api-keys/${id}`}
        prefetch={false}
        className="font-medium text-accent hover:underline"
      >
        {name ?? `${id.slice(0, 8)}…`}
      </Link>
      {typeof d.rolledFrom === 'string' ? (
        <span className="text-fg-muted">
          {' '}
          (replaces{' '}
          <Link href={`/integrations/api-keys/${d.rolledFrom}`} prefetch={false} className="hover:underline">
            {d.rolledFrom.slice(0, 8)}…
          </Link>
          )
        </span>
      ) : null}
      {row.action === 'key.updated' && typeof d.previousName === 'string' && d.previousName !== name ? (
        <span className="text-fg-muted"> (was {d.previousName})</span>
      ) : null}
      {row.action === 'key.tested' ? (
        <span className="text-fg-muted">
          {' '}
          with {String(d.job)}: {String(d.status)}
        </span>
      ) : null}
    </span>
  );
}

function JobStartedSubject({ row, name }: { row: AuditRow; name: string | null }) {
  const d = row.details;
  const jobId = typeof d.jobId === 'string' ? d.jobId : null;
  const job = String(d.job ?? name ?? '');
  return (
    <span>
      {jobId ? (
        <Link
          href={`/jobs/${jobId}`}
          prefetch={false}
          className="font-mono text-xs font-medium text-accent underline underline-offset-2"
        >
          {job}
        </Link>
      ) : (
        <span className="font-mono text-xs font-medium">{job}</span>
      )}
      {typeof d.runId === 'string' ? (
        <>
          {' '}
          <Link
            href={`/runs/${d.runId}`}
            prefetch={false}
            className="text-accent underline underline-offset-2"
          >
            run {d.runId.slice(0, 8)}
          </Link>
        </>
      ) : null}
      {typeof d.trigger === 'string' && d.trigger !== 'api' ? (
        <span className="text-fg-muted"> from the {String(d.trigger)}</span>
      ) : null}
    </span>
  );
}

function MemberSubject({ row }: { row: AuditRow }) {
  const d = row.details;
  return (
    <span>
      <Link
        href="/settings/members"
        prefetch={false}
        className="font-medium text-accent underline underline-offset-2"
      >
        {String(d.email ?? row.target)}
      </Link>
      <span className="text-fg-muted">
        {row.action === 'member.role_changed'
          ? ` ${String(d.from)} → ${String(d.role)}`
          : ` as ${String(d.role)}`}
      </span>
    </span>
  );
}

/** What the event was about, in words, with a link where there is a page for it. */
function Subject({ row, self }: { row: AuditRow; self?: string }) {
  const d = row.details;
  const name = typeof d.name === 'string' ? d.name : null;
  if (self && row.target === self) {
    // On the key's own page: only what the event adds.
    if (row.action === 'key.tested')
      return (
        <span className="text-fg-muted">
          with {String(d.job)}: {String(d.status)}
        </span>
      );
    if (row.action === 'key.updated' && typeof d.previousName === 'string' && d.previousName !== name)
      return <span className="text-fg-muted">was {d.previousName}</span>;
    return <span className="text-fg-muted">This key</span>;
  }
  if (row.target?.startsWith('key:')) return <KeySubject row={row} name={name} />;
  if (row.action === 'job.started') return <JobStartedSubject row={row} name={name} />;
  if (row.target?.startsWith('job:') && row.action !== 'job.deleted') {
    return (
      <Link
        href={`/jobs/${row.target.slice(4)}`}
        prefetch={false}
        className="font-medium text-accent underline underline-offset-2"
      >
        {name ?? row.target.slice(4, 12)}
      </Link>
    );
  }
  if (row.action.startsWith('member.')) return <MemberSubject row={row} />;
  return <span>{name ?? row.target ?? '—'}</span>;
}

/** `compact`: for a key's page (no address column; `self` is that key's target, "key:<id>"). */
export function AuditTable({
  rows,
  caption,
  compact = false,
  self,
}: {
  rows: AuditRow[];
  caption: string;
  compact?: boolean;
  self?: string;
}) {
  return (
    <Table stack>
      <TableCaption className="sr-only">{caption}</TableCaption>
      <THead>
        <tr>
          <TH>Time</TH>
          <TH>Action</TH>
          <TH>{self ? 'Details' : 'Subject'}</TH>
          <TH>Actor</TH>
          {compact ? null : <TH>Address</TH>}
        </tr>
      </THead>
      <TBody>
        {rows.map((row) => (
          <TR key={row.id}>
            <TD label="Time" className="font-mono text-xs whitespace-nowrap text-fg-muted">
              <time dateTime={row.at.toISOString()} title={utc(row.at)}>
                {relativeTime(row.at)}
              </time>
            </TD>
            <TD label="Action">
              <Badge tone={tone(row.action)}>{actionLabel(row.action)}</Badge>
            </TD>
            <TD label={self ? 'Details' : 'Subject'} className="max-w-80">
              <Subject row={row} self={self} />
            </TD>
            <TD label="Actor" className="max-w-56 truncate" title={row.actor}>
              {row.actor.startsWith('key:') ? <span className="text-fg-muted">key </span> : null}
              {row.actorName}
              {compact && row.ip ? (
                <span className="block font-mono text-xs text-fg-muted">{row.ip}</span>
              ) : null}
            </TD>
            {compact ? null : (
              <TD label="Address" className="font-mono text-xs text-fg-muted">
                {row.ip ?? '—'}
              </TD>
            )}
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
