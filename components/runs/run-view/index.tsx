'use client';

import { useState, type ReactNode } from 'react';
import { isFinished, type LogLine, type RunSnapshot } from '@/lib/validations/run';
import { Alert } from '@/components/ui/alert';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { runDuration } from '../format';
import { DetailsCard } from './details-card';
import { LogCard } from './log-card';
import { RunActions, type CancelResult } from './run-actions';
import { RunHeader } from './run-header';
import { StatusSummary } from './status-summary';
import { Timeline } from './timeline';
import { useFollowRun, useNow } from './use-follow-run';
import { PipelineSteps, type RestartResult } from '@/components/pipelines/pipeline-steps';
import type { PipelineStepView } from '@/lib/validations/pipeline';

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
  /** A pipeline run's steps, and "Start again" for one of them. */
  pipeline?: {
    steps: PipelineStepView[];
    restartAction: (runId: string, stepId: string) => Promise<RestartResult>;
  };
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
  pipeline,
}: Props) {
  const { run, lines, connection, steps } = useFollowRun(
    initialRun,
    initialLines,
    initialNext,
    pipeline?.steps,
  );
  const active = !isFinished(run.status);
  const now = useNow(renderedAt, active);
  const [cancelError, setCancelError] = useState<string | null>(null);
  const paramsText = JSON.stringify(run.params ?? {}, null, 2);
  const actions = (
    <RunActions
      active={active}
      canManage={canManage}
      jobId={job.id}
      paramsText={paramsText}
      runId={run.id}
      jobName={job.name}
      cancelRequested={run.cancelRequestedAt !== null}
      cancelAction={cancelAction}
      onError={setCancelError}
    />
  );
  return (
    <>
      <RunHeader run={run} job={job} now={now} actions={actions} />
      <div className="flex flex-col gap-5">
        {cancelError ? <Alert tone="danger">{cancelError}</Alert> : null}
        <div data-testid="run-summary">
          <StatusSummary run={run} now={now} />
        </div>
        {pipeline && steps ? (
          <PipelineSteps
            steps={steps}
            runId={run.id}
            canManage={canManage}
            restartAction={pipeline.restartAction}
          />
        ) : null}
        <div className="grid gap-5 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
          <DetailsCard
            run={run}
            job={job}
            starter={starter}
            duration={runDuration(run, now)}
            active={active}
            paramsText={paramsText}
          />
          <Card>
            <CardHeader title="Timeline" description="Times in UTC." />
            <CardBody>
              <Timeline run={run} now={now} />
            </CardBody>
          </Card>
        </div>
        <LogCard lines={lines} connection={connection} active={active} />
      </div>
    </>
  );
}
