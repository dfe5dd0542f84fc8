import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { shortId, currentTime } from '@/components/runs/format';
import { RunStarter } from '@/components/runs/run-starter';
import { RunView } from '@/components/runs/run-view';
import { AppError } from '@/server/errors';
import { canManageJobs } from '@/server/jobs/get-job';
import { sessionActor } from '@/server/members/session-actor';
import { getRunDetail } from '@/server/runs/list-runs';
import { listRunLogs } from '@/server/runs/list-run-logs';
import { runSnapshot } from '@/server/runs/public-run';
import { cancelRunAction } from '../actions';

type Params = Promise<{ runId: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { runId } = await params;
  return { title: `Run ${shortId(runId)}` };
}

export default async function RunPage({ params }: { params: Params }) {
  const actor = await sessionActor();
  const { runId } = await params;
  let detail;
  try {
    detail = await getRunDetail(actor, runId);
  } catch (error) {
    if (error instanceof AppError && error.code === 'run_not_found') notFound();
    throw error;
  }
  const { run, job } = detail;
  const { lines, next } = await listRunLogs(actor, run.id, 0);
  const snapshot = runSnapshot(run);

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-3 text-sm text-fg-muted">
        <ol className="flex flex-wrap items-center gap-1.5">
          <li>
            <Link href="/runs" className="hover:text-fg hover:underline">
              Runs
            </Link>
          </li>
          <li aria-hidden="true">/</li>
          <li>
            <Link href={`/jobs/${job.id}`} className="hover:text-fg hover:underline">
              {job.name}
            </Link>
          </li>
          <li aria-hidden="true">/</li>
          <li aria-current="page" className="font-mono text-fg">
            {shortId(run.id)}
          </li>
        </ol>
      </nav>
      <RunView
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
