import Link from 'next/link';
import { RunStatusBadge } from '@/components/ui/badge';
import { Table, TableCaption, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { formatDuration, formatTime, relativeTime, runDuration, shortId } from './format';
import type { RunListItem } from '@/lib/validations/run';
import { RunStarter } from './run-starter';

/** Runs, newest first: status at a glance, what started them, when and for how long. */
export function RunTable({
  runs,
  caption,
  showJob = true,
  now,
}: {
  runs: RunListItem[];
  caption: string;
  showJob?: boolean;
  now: number;
}) {
  return (
    <Table stack>
      <TableCaption className="sr-only">{caption}</TableCaption>
      <THead>
        <tr>
          <TH>Status</TH>
          <TH>Run</TH>
          {showJob ? <TH>Job</TH> : null}
          <TH>Started by</TH>
          <TH>Queued</TH>
          <TH>Duration</TH>
          <TH>Result</TH>
        </tr>
      </THead>
      <TBody>
        {runs.map((run) => (
          <RunRow key={run.id} run={run} showJob={showJob} now={now} />
        ))}
      </TBody>
    </Table>
  );
}

function RunRow({ run, showJob, now }: { run: RunListItem; showJob: boolean; now: number }) {
  const duration = runDuration(run, now);
  return (
    <TR data-run-id={run.id} data-status={run.status}>
      <TD label="Status">
        <RunStatusBadge status={run.status} />
      </TD>
      <TD label="Run" className="whitespace-nowrap">
        <Link
          href={`/runs/${run.id}`}
          prefetch={false}
          className="font-mono text-sm font-medium text-accent hover:underline"
          aria-label={`Run ${shortId(run.id)} of ${run.job.name}`}
        >
          {shortId(run.id)}
        </Link>
        {run.attempt > 1 ? <span className="ml-2 text-xs text-fg-muted">attempt {run.attempt}</span> : null}
        {run.externalRef ? (
          <div
            className="max-w-40 truncate font-mono text-xs text-fg-muted"
            title={`Caller reference (jobid): ${run.externalRef}`}
          >
            {run.externalRef}
          </div>
        ) : null}
      </TD>
      {showJob ? (
        <TD label="Job" className="max-w-56">
          <Link
            href={`/jobs/${run.job.id}`}
            prefetch={false}
            className="truncate font-medium hover:text-accent hover:underline"
          >
            {run.job.name}
          </Link>
        </TD>
      ) : null}
      <TD label="Started by" className="max-w-64 text-sm">
        <RunStarter starter={run} links={false} />
      </TD>
      <TD label="Queued" className="text-xs whitespace-nowrap text-fg-muted">
        <time dateTime={run.queuedAt.toISOString()} title={formatTime(run.queuedAt)}>
          {relativeTime(run.queuedAt, now)}
        </time>
      </TD>
      <TD label="Duration" className="text-sm whitespace-nowrap tabular-nums">
        {duration === null ? (
          <span className="text-fg-muted">{run.status === 'queued' ? 'waiting' : '—'}</span>
        ) : (
          formatDuration(duration)
        )}
      </TD>
      <RunResult run={run} />
    </TR>
  );
}

/** How the run ended, in a few words. */
function RunResult({ run }: { run: RunListItem }) {
  return (
    <TD label="Result" className="max-w-72 text-sm">
      {run.status === 'cancelled' ? (
        <span className="text-fg-muted">{run.startedAt ? 'stopped' : 'never started'}</span>
      ) : run.error ? (
        <span className="line-clamp-1 text-danger" title={run.error}>
          {run.error}
        </span>
      ) : run.exitCode !== null ? (
        <span className={run.exitCode === 0 ? 'text-fg-muted' : 'text-danger'}>exit code {run.exitCode}</span>
      ) : (
        <span className="text-fg-muted">—</span>
      )}
    </TD>
  );
}
