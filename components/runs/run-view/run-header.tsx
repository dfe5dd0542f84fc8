'use client';

import type { ReactNode } from 'react';
import type { RunSnapshot } from '@/lib/validations/run';
import { RunStatusBadge } from '@/components/ui/badge';
import { formatTime, relativeTime, shortId } from '../format';
import { attemptText } from './run-facts';

/** The run's title line: job, status, attempt and when it was queued, and the actions on the right. */
export function RunHeader({
  run,
  job,
  now,
  actions,
}: {
  run: RunSnapshot;
  job: { name: string; maxAttempts: number | null };
  now: number;
  actions: ReactNode;
}) {
  return (
    <header className="mb-5 flex flex-wrap items-start justify-between gap-4">
      <div className="min-w-0">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold tracking-tight text-fg">{job.name}</h1>
          <RunStatusBadge status={run.status} className="px-2.5 py-1 text-sm" />
        </div>
        <p className="mt-1 text-sm text-fg-muted">
          Run <span className="font-mono">{shortId(run.id)}</span>
          {attemptText(run.attempt, job.maxAttempts)} · queued{' '}
          <time dateTime={run.queuedAt} title={formatTime(run.queuedAt)}>
            {relativeTime(run.queuedAt, now)}
          </time>
        </p>
      </div>
      {actions}
    </header>
  );
}
