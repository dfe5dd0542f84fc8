import Link from 'next/link';
import type { ReactNode } from 'react';
import type { RunSnapshot } from '@/lib/validations/run';
import { RunStatusBadge } from '@/components/ui/badge';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { cn } from '@/components/ui/cn';
import { CopyButton } from '@/components/ui/copy-button';
import { durationText, showsError } from './run-facts';

export function Detail({
  label,
  children,
  className,
}: {
  label: string;
  children: ReactNode;
  className?: string;
}) {
  return (
    <div className={cn('min-w-0', className)}>
      <dt className="text-xs font-medium text-fg-muted">{label}</dt>
      <dd className="mt-0.5 text-sm text-fg">{children}</dd>
    </div>
  );
}

/** The run's facts: status, duration, who started it, exit code, job, reference, error, id and params. */
export function DetailsCard({
  run,
  job,
  starter,
  duration,
  active,
  paramsText,
}: {
  run: RunSnapshot;
  job: { id: string; name: string };
  starter: ReactNode;
  duration: number | null;
  active: boolean;
  paramsText: string;
}) {
  return (
    <Card>
      <CardHeader title="Details" />
      <CardBody>
        <dl className="grid gap-x-6 gap-y-4 sm:grid-cols-2 xl:grid-cols-3">
          <Detail label="Status">
            <RunStatusBadge status={run.status} />
          </Detail>
          <Detail label="Duration">
            <span className="tabular-nums">{durationText(run.status, duration)}</span>
            {active && duration !== null ? <span className="text-fg-muted"> so far</span> : null}
          </Detail>
          <Detail label="Started by">{starter}</Detail>
          <Detail label="Exit code">
            {run.exitCode === null ? (
              <span className="text-fg-muted">{active ? 'not yet' : 'none'}</span>
            ) : (
              <span
                data-testid="exit-code"
                // A cancelled run's 143 (SIGTERM) is what stopping it means, not an error.
                className={cn(
                  'font-mono',
                  run.exitCode !== 0 && run.status !== 'cancelled' && 'font-semibold text-danger',
                )}
              >
                {run.exitCode}
              </span>
            )}
          </Detail>
          <Detail label="Job">
            <Link href={`/jobs/${job.id}`} className="text-accent hover:underline">
              {job.name}
            </Link>
          </Detail>
          <Detail label="Caller reference (jobid)">
            {run.jobid ? (
              <span className="font-mono text-xs break-all">{run.jobid}</span>
            ) : (
              <span className="text-fg-muted">none</span>
            )}
          </Detail>
          {showsError(run) ? (
            <Detail
              label={run.status === 'failed' ? 'Error' : 'Note'}
              className="sm:col-span-2 xl:col-span-3"
            >
              <span
                className={cn(
                  'font-mono text-xs break-words',
                  run.status === 'failed' ? 'text-danger' : 'text-fg-muted',
                )}
              >
                {run.error}
              </span>
            </Detail>
          ) : null}
          <IdAndParams id={run.id} paramsText={paramsText} />
        </dl>
      </CardBody>
    </Card>
  );
}

/** The run's full id (to copy) and its params. */
function IdAndParams({ id, paramsText }: { id: string; paramsText: string }) {
  const hasParams = paramsText !== '{}';
  return (
    <>
      <Detail label="Run ID" className="sm:col-span-2 xl:col-span-3">
        <span className="flex flex-wrap items-center gap-2">
          <code className="font-mono text-xs break-all">{id}</code>
          <CopyButton text={id} label="Copy ID" aria-label="Copy ID of the run" />
        </span>
      </Detail>
      <Detail label="Params" className="sm:col-span-2 xl:col-span-3">
        {hasParams ? (
          <pre
            data-testid="run-params"
            className="mt-1 max-h-60 overflow-auto rounded-md bg-surface-muted p-3 font-mono text-xs leading-relaxed"
          >
            {paramsText}
          </pre>
        ) : (
          <span className="text-fg-muted">none (an empty object)</span>
        )}
      </Detail>
    </>
  );
}
