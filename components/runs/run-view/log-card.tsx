import type { LogLine } from '@/lib/validations/run';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { cn } from '@/components/ui/cn';
import { LogView } from '../log-view';
import type { Connection } from './use-follow-run';

/** The run's log as it arrives, with its line count and whether it is still followed. */
export function LogCard({
  lines,
  connection,
  active,
}: {
  lines: LogLine[];
  connection: Connection;
  active: boolean;
}) {
  return (
    <Card>
      <CardHeader
        title="Log"
        description="The job’s output in order. Standard error is red and marked “err”; notes from the runner are grey."
        actions={
          <span className="flex items-center gap-3 text-xs text-fg-muted">
            <span className="tabular-nums">
              {lines.length.toLocaleString('en')} {lines.length === 1 ? 'line' : 'lines'}
            </span>
            <ConnectionBadge connection={connection} />
          </span>
        }
      />
      <CardBody>
        <LogView
          lines={lines}
          live={connection !== 'done'}
          emptyText={
            active
              ? 'No output yet. Lines appear here as the job writes them.'
              : 'This run wrote nothing to its log.'
          }
        />
      </CardBody>
    </Card>
  );
}

function ConnectionBadge({ connection }: { connection: Connection }) {
  const views: Record<Connection, { label: string; dot: string }> = {
    live: { label: 'Live', dot: 'bg-emerald-500 motion-safe:animate-pulse' },
    retrying: { label: 'Reconnecting…', dot: 'bg-amber-500' },
    'signed-out': { label: 'Signed out: reload to sign in', dot: 'bg-red-500' },
    done: { label: 'Complete', dot: 'bg-slate-400' },
  };
  const view = views[connection];
  return (
    <span
      role="status"
      data-testid="log-connection"
      data-connection={connection}
      className="inline-flex items-center gap-1.5 rounded-full border border-border px-2 py-0.5 font-medium"
    >
      <span aria-hidden="true" className={cn('size-1.5 rounded-full', view.dot)} />
      {view.label}
    </span>
  );
}
