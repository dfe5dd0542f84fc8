'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, useTransition, type ReactNode } from 'react';
import { toast } from 'sonner';
import { Alert } from '@/components/ui/alert';
import { RunStatusBadge } from '@/components/ui/badge';
import { Button, buttonClasses } from '@/components/ui/button';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { cn } from '@/components/ui/cn';
import { CopyButton } from '@/components/ui/copy-button';
import { Dialog } from '@/components/ui/dialog';
import { formatClock, formatDuration, formatTime, relativeTime, runDuration, shortId } from './format';
import { LogView } from './log-view';
import { MAX_LOG_PAGE as LOG_PAGE } from '@/lib/validations/job-api';
import { isFinished, type LogLine, type RunSnapshot } from '@/lib/validations/run';

type CancelResult = { ok: true; outcome: string } | { ok: false; message: string };

interface Props {
  initialRun: RunSnapshot;
  initialLines: LogLine[];
  initialNext: number;
  /** When the server rendered the page (ms), so durations render the same on server and client. */
  renderedAt: number;
  job: { id: string; name: string; maxAttempts: number | null };
  /** Who or what started it, rendered by the server. */
  starter: ReactNode;
  canManage: boolean;
  cancelAction: (runId: string) => Promise<CancelResult>;
}

type Connection = 'live' | 'retrying' | 'signed-out' | 'done';

/** Follows a run: polls its log and status every second until it has finished and every line is read. */
function useFollowRun(initialRun: RunSnapshot, initialLines: LogLine[], initialNext: number) {
  const router = useRouter();
  const [run, setRun] = useState(initialRun);
  const [lines, setLines] = useState(initialLines);
  const next = useRef(initialNext);
  const complete = isFinished(initialRun.status) && initialLines.length < LOG_PAGE;
  const [connection, setConnection] = useState<Connection>(complete ? 'done' : 'live');

  useEffect(() => {
    if (complete) return;
    let stopped = false;
    let failures = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        for (;;) {
          const res = await fetch(
            `/api/console/runs/${encodeURIComponent(initialRun.id)}/logs?after=${next.current}`,
            { cache: 'no-store' },
          );
          if (stopped) return;
          if (res.status === 401) {
            setConnection('signed-out');
            return;
          }
          if (!res.ok) throw new Error(`status ${res.status}`);
          const body = (await res.json()) as { run: RunSnapshot; lines: LogLine[]; next: number };
          if (stopped) return;
          const after = next.current;
          const fresh = body.lines.filter((l) => l.seq > after);
          if (fresh.length) setLines((prev) => [...prev, ...fresh]);
          next.current = Math.max(after, body.next);
          setRun(body.run);
          failures = 0;
          if (body.lines.length >= LOG_PAGE) continue; // more lines waiting: read them at once
          if (isFinished(body.run.status)) {
            setConnection('done');
            router.refresh();
            return;
          }
          break;
        }
        setConnection('live');
        timer = setTimeout(poll, 1000);
      } catch {
        if (stopped) return;
        failures += 1;
        setConnection('retrying');
        timer = setTimeout(poll, Math.min(1000 * 2 ** failures, 10_000));
      }
    };
    timer = setTimeout(poll, initialLines.length >= LOG_PAGE ? 0 : 1000);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
    // Follows one run for the life of the component.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [initialRun.id]);

  return { run, lines, connection };
}

function useNow(start: number, ticking: boolean) {
  const [now, setNow] = useState(start);
  useEffect(() => {
    if (!ticking) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}

function StatusSummary({ run, now }: { run: RunSnapshot; now: number }) {
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
          {run.error && !(run.exitCode !== null && run.error === `exited with code ${run.exitCode}`)
            ? `: ${run.error}`
            : '.'}
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

function Step({
  done,
  current,
  tone,
  title,
  time,
  note,
}: {
  done: boolean;
  current?: boolean;
  tone?: 'success' | 'danger' | 'neutral';
  title: string;
  time: string | null;
  note?: string;
}) {
  return (
    <li className="relative flex gap-3 pb-5 last:pb-0">
      <span
        aria-hidden="true"
        className={cn(
          'relative z-10 mt-1 size-3 shrink-0 rounded-full ring-4 ring-surface',
          done
            ? tone === 'danger'
              ? 'bg-red-600 dark:bg-red-400'
              : tone === 'neutral'
                ? 'bg-slate-500 dark:bg-slate-400'
                : tone === 'success'
                  ? 'bg-emerald-600 dark:bg-emerald-400'
                  : 'bg-accent'
            : current
              ? 'bg-blue-600 motion-safe:animate-pulse dark:bg-blue-400'
              : 'border-2 border-border-strong bg-surface',
        )}
      />
      <div className="min-w-0">
        <p className={cn('text-sm font-medium', done || current ? 'text-fg' : 'text-fg-muted')}>
          {title}
          <span className="sr-only">{done ? ' (done)' : current ? ' (in progress)' : ' (not yet)'}</span>
        </p>
        {time ? (
          <p className="text-xs text-fg-muted">
            <time dateTime={time} title={formatTime(time)}>
              {formatClock(time)} UTC
            </time>
            {note ? <span> · {note}</span> : null}
          </p>
        ) : note ? (
          <p className="text-xs text-fg-muted">{note}</p>
        ) : null}
      </div>
    </li>
  );
}

function Timeline({ run, now }: { run: RunSnapshot; now: number }) {
  const queued = Date.parse(run.queuedAt);
  const started = run.startedAt ? Date.parse(run.startedAt) : null;
  const finished = run.finishedAt ? Date.parse(run.finishedAt) : null;
  const endLabel = {
    succeeded: 'Succeeded',
    failed: 'Failed',
    cancelled: 'Cancelled',
    queued: 'Finished',
    running: 'Finished',
  }[run.status];
  const endTone = run.status === 'succeeded' ? 'success' : run.status === 'failed' ? 'danger' : 'neutral';
  return (
    <ol
      aria-label="Timeline"
      className="relative before:absolute before:top-2 before:bottom-2 before:left-[5px] before:w-0.5 before:bg-border"
    >
      <Step
        done
        title="Queued"
        time={run.queuedAt}
        note={run.attempt > 1 ? `attempt ${run.attempt}` : undefined}
      />
      <Step
        done={started !== null}
        current={run.status === 'queued'}
        title={
          started !== null ? 'Started' : run.status === 'queued' ? 'Waiting for a worker' : 'Never started'
        }
        time={run.startedAt}
        note={
          started !== null
            ? `waited ${formatDuration(started - queued)}`
            : run.status === 'queued'
              ? `for ${formatDuration(now - queued)}`
              : undefined
        }
      />
      <Step
        done={finished !== null}
        current={run.status === 'running'}
        tone={endTone}
        title={
          finished !== null
            ? endLabel
            : run.status === 'running'
              ? run.cancelRequestedAt
                ? 'Stopping'
                : 'Running'
              : 'Finished'
        }
        time={run.finishedAt}
        note={
          finished !== null
            ? started !== null
              ? `ran ${formatDuration(finished - started)}`
              : undefined
            : run.status === 'running' && started !== null
              ? `for ${formatDuration(now - started)}`
              : undefined
        }
      />
    </ol>
  );
}

function Detail({ label, children, className }: { label: string; children: ReactNode; className?: string }) {
  return (
    <div className={cn('min-w-0', className)}>
      <dt className="text-xs font-medium text-fg-muted">{label}</dt>
      <dd className="mt-0.5 text-sm text-fg">{children}</dd>
    </div>
  );
}

/** A run's page below the breadcrumb: status, cancel, details, timeline and the live log. */
export function RunView({
  initialRun,
  initialLines,
  initialNext,
  renderedAt,
  job,
  starter,
  canManage,
  cancelAction,
}: Props) {
  const { run, lines, connection } = useFollowRun(initialRun, initialLines, initialNext);
  const active = !isFinished(run.status);
  const now = useNow(renderedAt, active);
  const [pending, startTransition] = useTransition();
  const [cancelError, setCancelError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  // Set once the server took the cancel: the button stays disabled until the run has ended.
  const [requested, setRequested] = useState(false);
  const duration = runDuration(run, now);
  const cancelling = active && (requested || run.cancelRequestedAt !== null);

  const cancel = () => {
    setCancelError(null);
    startTransition(async () => {
      const result = await cancelAction(run.id);
      setConfirming(false);
      if (result.ok) {
        setRequested(true);
        toast.success('Cancel requested: the run ends within a few seconds');
      } else {
        setCancelError(result.message);
        toast.error(result.message);
      }
    });
  };

  const paramsText = JSON.stringify(run.params ?? {}, null, 2);
  const hasParams = paramsText !== '{}';

  return (
    <>
      <header className="mb-5 flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="text-2xl font-semibold tracking-tight text-fg">{job.name}</h1>
            <RunStatusBadge status={run.status} className="px-2.5 py-1 text-sm" />
          </div>
          <p className="mt-1 text-sm text-fg-muted">
            Run <span className="font-mono">{shortId(run.id)}</span>
            {job.maxAttempts && job.maxAttempts > 1
              ? ` · attempt ${run.attempt} of ${job.maxAttempts}`
              : run.attempt > 1
                ? ` · attempt ${run.attempt}`
                : ''}{' '}
            · queued{' '}
            <time dateTime={run.queuedAt} title={formatTime(run.queuedAt)}>
              {relativeTime(run.queuedAt, now)}
            </time>
          </p>
        </div>
        <div className="flex shrink-0 flex-wrap items-center gap-2">
          {active ? (
            canManage ? (
              <>
                <Button variant="danger" onClick={() => setConfirming(true)} disabled={pending || cancelling}>
                  {pending || cancelling ? 'Cancelling…' : 'Cancel run'}
                </Button>
                <Dialog
                  open={confirming}
                  onClose={() => !pending && setConfirming(false)}
                  title={`Cancel this run of ${job.name}?`}
                  description="The worker ends the run's whole process tree; the run ends cancelled. This cannot be undone."
                >
                  <div className="flex justify-end gap-2">
                    <Button
                      variant="secondary"
                      autoFocus
                      disabled={pending}
                      onClick={() => setConfirming(false)}
                    >
                      Keep running
                    </Button>
                    <Button variant="danger" disabled={pending} onClick={cancel}>
                      {pending ? 'Cancelling…' : 'Cancel run'}
                    </Button>
                  </div>
                </Dialog>
              </>
            ) : (
              <>
                <span id="cancel-note" className="text-xs text-fg-muted">
                  Viewers cannot cancel runs.
                </span>
                <Button
                  variant="danger"
                  aria-disabled="true"
                  aria-describedby="cancel-note"
                  onClick={(e) => e.preventDefault()}
                >
                  Cancel run
                </Button>
              </>
            )
          ) : canManage ? (
            <Link
              href={`/jobs/${job.id}?params=${encodeURIComponent(paramsText)}#run-now`}
              className={buttonClasses({ variant: 'secondary' })}
            >
              Run again
            </Link>
          ) : null}
        </div>
      </header>

      <div className="flex flex-col gap-5">
        {cancelError ? <Alert tone="danger">{cancelError}</Alert> : null}
        <div data-testid="run-summary">
          <StatusSummary run={run} now={now} />
        </div>

        <div className="grid gap-5 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
          <Card>
            <CardHeader title="Details" />
            <CardBody>
              <dl className="grid gap-x-6 gap-y-4 sm:grid-cols-2 xl:grid-cols-3">
                <Detail label="Status">
                  <RunStatusBadge status={run.status} />
                </Detail>
                <Detail label="Duration">
                  <span className="tabular-nums">
                    {duration === null
                      ? run.status === 'queued'
                        ? 'not started yet'
                        : 'never started'
                      : formatDuration(duration)}
                  </span>
                  {active && duration !== null ? <span className="text-fg-muted"> so far</span> : null}
                </Detail>
                <Detail label="Started by">{starter}</Detail>
                <Detail label="Exit code">
                  {run.exitCode === null ? (
                    <span className="text-fg-muted">{active ? 'not yet' : 'none'}</span>
                  ) : (
                    <span
                      data-testid="exit-code"
                      className={cn('font-mono', run.exitCode !== 0 && 'font-semibold text-danger')}
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
                {run.error && !(run.status === 'cancelled' && run.error === 'cancelled') ? (
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
                <Detail label="Run ID" className="sm:col-span-2 xl:col-span-3">
                  <span className="flex flex-wrap items-center gap-2">
                    <code className="font-mono text-xs break-all">{run.id}</code>
                    <CopyButton text={run.id} label="Copy ID" aria-label="Copy ID of the run" />
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
              </dl>
            </CardBody>
          </Card>

          <Card>
            <CardHeader title="Timeline" description="Times in UTC." />
            <CardBody>
              <Timeline run={run} now={now} />
            </CardBody>
          </Card>
        </div>

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
      </div>
    </>
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
