import { getServerSession } from 'next-auth';
import { unstable_rethrow } from 'next/navigation';
import { authOptions } from '@/server/auth/options';
import { runLogsQuerySchema } from '@/lib/validations/job-api';
import { AppError, fieldErrors } from '@/server/errors';
import { newRequestId, problemResponse } from '@/server/http/problem';
import { sessionActor } from '@/server/members/session-actor';
import { listRunLogs, listRunLogsBefore } from '@/server/runs/list-run-logs';
import { runSnapshot } from '@/server/runs/public-run';
import { pipelineSteps } from '@/server/pipelines/pipeline-steps';

export const dynamic = 'force-dynamic';

/**
 * The console's live log: GET ?after=<seq> answers the lines after that seq (up to 500) and the run's
 * current status, for the signed-in person's organisation. The run page polls it every second until the
 * run has finished and every line has been read. ?before=<seq> answers the 500 lines before it, and
 * `prev` (the `before` of the page above, null at the first line): older lines on demand.
 */
export async function GET(request: Request, { params }: { params: Promise<{ runId: string }> }) {
  const requestId = newRequestId();
  const noStore = { 'cache-control': 'no-store' };
  try {
    const session = await getServerSession(authOptions);
    if (!session?.user?.id) throw new AppError('unauthenticated', 'Sign in again to follow this run.');
    const actor = await sessionActor();
    const { runId } = await params;
    // The job API's rules for `after` (a Postgres integer): 9999999999 is a 422 here too, not a 500.
    const search = new URL(request.url).searchParams;
    const query = runLogsQuerySchema.safeParse({
      after: search.get('after') ?? undefined,
      before: search.get('before') ?? undefined,
    });
    if (!query.success)
      throw new AppError('validation_failed', 'after and before must be log line numbers', {
        errors: fieldErrors(query.error.issues),
      });
    const { before, after } = query.data;
    const page =
      before !== undefined
        ? await listRunLogsBefore(actor, runId, before)
        : { ...(await listRunLogs(actor, runId, after)), prev: undefined };
    return Response.json(
      {
        run: runSnapshot(page.run),
        lines: page.lines,
        next: page.next,
        ...(page.prev !== undefined ? { prev: page.prev } : {}),
        ...(await pipelineSteps(page.run.id)), // pipelines: the steps, live
      },
      { headers: noStore },
    );
  } catch (error) {
    // A session whose user or membership is gone: requireSession's redirect to /login.
    unstable_rethrow(error);
    return problemResponse(error, requestId, noStore);
  }
}
