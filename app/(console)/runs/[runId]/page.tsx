import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { SwitchedNotice } from '@/components/shell/switched-notice';
import { followLinkToOwnOrg } from '@/server/members/follow-link';
import { shortId, currentTime } from '@/components/runs/format';
import { RunStarter } from '@/components/runs/run-starter';
import { RunView } from '@/components/runs/run-view';
import { AppError } from '@/server/errors';
import { canManageJobs } from '@/server/jobs/get-job';
import { sessionActor } from '@/server/members/session-actor';
import { getRunDetail } from '@/server/runs/list-runs';
import { LAST_LOG_SEQ, listRunLogsBefore } from '@/server/runs/list-run-logs';
import { runSnapshot } from '@/server/runs/public-run';
import { cancelRunAction } from '../actions';
import { restartStepAction } from '../pipeline-actions';
import { pipelineSteps } from '@/server/pipelines/pipeline-steps';
import { isFinished } from '@/lib/validations/run';
import { Breadcrumb } from '@/components/ui/breadcrumb';

type Params = Promise<{ runId: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { runId } = await params;
  return { title: `Run ${shortId(runId)}` };
}

export default async function RunPage({
  params,
  searchParams,
}: {
  params: Params;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await sessionActor();
  const { runId } = await params;
  let detail;
  try {
    detail = await getRunDetail(actor, runId);
  } catch (error) {
    if (error instanceof AppError && error.code === 'run_not_found') {
      await followLinkToOwnOrg(actor, 'run', runId, `/runs/${runId}`);
      notFound();
    }
    throw error;
  }
  const { run, job } = detail;
  // The last page only: a run with 100,000 lines opens at its end and follows from there; the log view
  // reads older lines on demand.
  const { lines, next } = await listRunLogsBefore(actor, run.id, LAST_LOG_SEQ);
  const snapshot = runSnapshot(run);
  const { steps } = await pipelineSteps(run.id);

  const { switched } = await searchParams;
  return (
    <>
      <SwitchedNotice switched={switched} orgSlug={actor.orgSlug} />
      <Breadcrumb
        trail={[
          { href: '/runs', label: 'Runs' },
          { href: `/jobs/${job.id}`, label: job.name },
        ]}
        current={shortId(run.id)}
        currentMono
      />
      <RunView
        // Pipelines: a finished pipeline run whose step is started again is followed anew.
        key={isFinished(snapshot.status) ? 'finished' : 'active'}
        pipeline={steps ? { steps, restartAction: restartStepAction } : undefined}
        initialRun={snapshot}
        initialLines={lines}
        initialNext={next}
        renderedAt={currentTime()}
        job={{ id: job.id, name: job.name, maxAttempts: job.maxAttempts }}
        starter={<RunStarter starter={detail} />}
        canManage={canManageJobs(actor)}
        cancelAction={cancelRunAction}
      />
    </>
  );
}
