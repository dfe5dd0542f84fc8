import { getServerSession } from 'next-auth';
import { unstable_rethrow } from 'next/navigation';
import { authOptions } from '@/server/auth/options';
import { AppError } from '@/server/http/errors';
import { newRequestId, problemResponse } from '@/server/http/problem';
import { sessionActor } from '@/server/members/session-actor';
import { listRunLogs } from '@/server/runs/list-run-logs';
import { publicRun } from '@/server/runs/public-run';

export const dynamic = 'force-dynamic';

/**
 * The console's live log: GET ?after=<seq> answers the lines after that seq (up to 500) and the run's
 * current status, for the signed-in person's organisation. The run page polls it every second until the
 * run has finished and every line has been read.
 */
export async function GET(request: Request, { params }: { params: Promise<{ runId: string }> }) {
  const requestId = newRequestId();
  const noStore = { 'cache-control': 'no-store' };
  try {
    const session = await getServerSession(authOptions);
    if (!session?.user?.id) throw new AppError('unauthenticated', 'Sign in again to follow this run.');
    const actor = await sessionActor();
    const { runId } = await params;
    const afterText = new URL(request.url).searchParams.get('after') ?? '0';
    const after = /^\d{1,10}$/.test(afterText) ? Number(afterText) : NaN;
    if (!Number.isSafeInteger(after)) throw new AppError('validation_failed', 'after must be a log line number', { errors: [{ path: 'after', message: 'Give a whole number' }] });
    const { run, lines, next } = await listRunLogs(actor, runId, after);
    return Response.json(
      { run: { ...publicRun(run), cancelRequestedAt: run.cancelRequestedAt?.toISOString() ?? null }, lines, next },
      { headers: noStore },
    );
  } catch (error) {
    // A session whose user or membership is gone: requireSession's redirect to /login.
    unstable_rethrow(error);
    return problemResponse(error, requestId, noStore);
  }
}
