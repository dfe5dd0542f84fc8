import type { RunSnapshot } from '@/lib/validations/run';
import { Alert } from '@/components/ui/alert';
import { formatDuration, relativeTime, runDuration } from '../format';
import { failureSuffix } from './run-facts';

/** One sentence on where the run stands. */
export function StatusSummary({ run, now }: { run: RunSnapshot; now: number }) {
  const duration = runDuration(run, now);
  switch (run.status) {
    case 'queued':
      return (
        <Alert tone="info">
          <strong className="font-semibold">Waiting for a worker.</strong> Queued{' '}
          {relativeTime(run.queuedAt, now)}
          {run.cancelRequestedAt ? '; cancelling.' : '; it starts as soon as a worker is free.'}
        </Alert>
      );
    case 'running':
      return (
        <Alert tone="info">
          <strong className="font-semibold">{run.cancelRequestedAt ? 'Stopping…' : 'Running'}</strong> for{' '}
          {formatDuration(duration)}.{' '}
          {run.cancelRequestedAt
            ? 'Cancel was requested; the worker ends the process within a few seconds.'
            : 'The log below follows as lines arrive.'}
        </Alert>
      );
    case 'succeeded':
      return (
        <Alert tone="success">
          <strong className="font-semibold">Succeeded</strong>
          {duration !== null ? ` in ${formatDuration(duration)}` : ''}
          {run.exitCode !== null ? ` with exit code ${run.exitCode}` : ''}.
        </Alert>
      );
    case 'failed':
      return (
        <Alert tone="danger">
          <strong className="font-semibold">Failed</strong>
          {run.exitCode !== null ? ` with exit code ${run.exitCode}` : ''}
          {duration !== null ? ` after ${formatDuration(duration)}` : ''}
          {failureSuffix(run)}
        </Alert>
      );
    case 'cancelled':
      return (
        <Alert tone="info" className="border-border-strong bg-surface-muted">
          <strong className="font-semibold">Cancelled</strong>
          {run.startedAt ? ` after running for ${formatDuration(duration)}` : ' before it started'}.
          {run.error && run.error !== 'cancelled' ? ` ${run.error}` : ''}
        </Alert>
      );
  }
}
