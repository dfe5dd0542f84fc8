import Link from 'next/link';
import { Badge, RunStatusBadge } from '@/components/ui/badge';
import type { RunStatusName } from '@/lib/validations/run';
import { Table, TableCaption, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { formatTime, relativeTime } from '@/components/runs/format';

export interface JobRow {
  id: string;
  name: string;
  description: string | null;
  type: 'command' | 'http' | 'pipeline';
  concurrency: 'single' | 'parallel';
  summary: string;
  lastRun: { id: string; status: RunStatusName; queuedAt: Date } | null;
}

export const TYPE_LABELS = { command: 'Command', http: 'HTTP', pipeline: 'Pipeline' } as const;

/** The organisation's jobs: what each runs and how its latest run went. */
export function JobTable({ jobs, now }: { jobs: JobRow[]; now: number }) {
  return (
    <Table stack>
      <TableCaption className="sr-only">Jobs of this organisation, by name</TableCaption>
      <THead>
        <tr>
          <TH>Name</TH>
          <TH>Type</TH>
          <TH>Command / URL</TH>
          <TH>Concurrency</TH>
          <TH>Last run</TH>
        </tr>
      </THead>
      <TBody>
        {jobs.map((job) => (
          <TR key={job.id} data-job-id={job.id}>
            <TD className="max-w-80">
              <Link
                href={`/jobs/${job.id}`}
                prefetch={false}
                className="font-medium text-accent hover:underline"
              >
                {job.name}
              </Link>
              {job.description ? (
                <div className="line-clamp-1 text-xs text-fg-muted" title={job.description}>
                  {job.description}
                </div>
              ) : null}
            </TD>
            <TD label="Type">
              <Badge tone={job.type === 'http' ? 'info' : 'neutral'}>{TYPE_LABELS[job.type]}</Badge>
            </TD>
            <TD label="Command / URL" className="max-w-72">
              <code className="block truncate font-mono text-xs text-fg-muted" title={job.summary}>
                {job.summary}
              </code>
            </TD>
            <TD label="Concurrency" className="text-sm whitespace-nowrap text-fg-muted">
              {job.concurrency === 'single' ? 'One at a time' : 'Parallel'}
            </TD>
            <TD label="Last run" className="whitespace-nowrap">
              {job.lastRun ? (
                <Link
                  href={`/runs/${job.lastRun.id}`}
                  prefetch={false}
                  className="group inline-flex items-center gap-2"
                >
                  <span className="sr-only">Last run: </span>
                  <RunStatusBadge status={job.lastRun.status} />
                  <time
                    dateTime={job.lastRun.queuedAt.toISOString()}
                    title={formatTime(job.lastRun.queuedAt)}
                    className="text-xs text-fg-muted group-hover:text-fg group-hover:underline"
                  >
                    {relativeTime(job.lastRun.queuedAt, now)}
                  </time>
                </Link>
              ) : (
                <span className="text-sm text-fg-muted">Never run</span>
              )}
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
