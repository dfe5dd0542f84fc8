import type { ReactNode } from 'react';
import { formatDuration, formatTime } from '@/components/runs/format';
import { Badge } from '@/components/ui/badge';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';

export interface DeliveryView {
  id: string;
  eventType: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  responseCode: number | null;
  durationMs: number | null;
  error: string | null;
  createdAt: Date;
  nextAttemptAt: Date | null;
}

const TONE = { pending: 'progress', succeeded: 'success', failed: 'danger' } as const;

/** An endpoint's deliveries, newest first: status, answer code, duration, and a Redeliver button each. */
export function DeliveryTable({
  deliveries,
  redeliver,
}: {
  deliveries: DeliveryView[];
  redeliver: (id: string) => ReactNode;
}) {
  if (deliveries.length === 0)
    return (
      <p className="text-sm text-fg-muted">
        No deliveries yet: they appear here when a run this endpoint listens to changes.
      </p>
    );
  return (
    <Table>
      <caption className="sr-only">Deliveries</caption>
      <THead>
        <TR>
          <TH>Created</TH>
          <TH>Event</TH>
          <TH>Status</TH>
          <TH>Attempts</TH>
          <TH>Answer</TH>
          <TH>Duration</TH>
          <TH>
            <span className="sr-only">Actions</span>
          </TH>
        </TR>
      </THead>
      <TBody>
        {deliveries.map((d) => (
          <TR key={d.id}>
            <TD className="whitespace-nowrap">{formatTime(d.createdAt)}</TD>
            <TD className="font-mono">{d.eventType}</TD>
            <TD>
              <Badge tone={TONE[d.status]}>{d.status}</Badge>
              {d.status === 'pending' && d.nextAttemptAt ? (
                <span className="ml-2 text-xs text-fg-muted">next {formatTime(d.nextAttemptAt)}</span>
              ) : null}
            </TD>
            <TD className="tabular-nums">{d.attempts}</TD>
            <TD title={d.error ?? undefined}>
              {d.responseCode ?? (d.error ? <span className="text-xs text-danger">{d.error}</span> : '—')}
            </TD>
            <TD className="tabular-nums">{formatDuration(d.durationMs)}</TD>
            <TD>{redeliver(d.id)}</TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
