import { db, Prisma } from '../db';
import type { KeyPrincipal } from '../keys/authenticate-key';
import { decodeCursor, encodeCursor } from '../../lib/cursor';
import type { RunsListQuery } from '../../lib/validations/job-api';
import type { PublicRun } from '../../lib/validations/run';
import { AppError } from '../errors';
import { publicRun } from './public-run';

/**
 * The runs an API key may see (its organisation's; a scoped key's jobs only), newest first, filtered,
 * a page at a time: `next` is the cursor of the page after this one (keyset on queuedAt and id, through
 * the list indexes), null on the last page.
 */
export async function listApiRuns(
  principal: KeyPrincipal,
  query: RunsListQuery,
): Promise<{ runs: PublicRun[]; next: string | null }> {
  const where: Prisma.JobRunWhereInput[] = [{ orgId: principal.orgId }];
  if (principal.jobIds.length > 0) where.push({ jobId: { in: principal.jobIds } });
  if (query.jobId) where.push({ jobId: query.jobId.toLowerCase() });
  if (query.status) where.push({ status: query.status });
  if (query.trigger) where.push({ trigger: query.trigger });
  if (query.queuedAfter) where.push({ queuedAt: { gte: query.queuedAfter } });
  if (query.queuedBefore) where.push({ queuedAt: { lt: query.queuedBefore } });
  if (query.cursor !== undefined) {
    const cursor = decodeCursor(query.cursor);
    if (!cursor || cursor.dir !== 'older')
      throw new AppError('validation_failed', 'The cursor is not one this API gave', {
        errors: [{ path: 'cursor', message: 'Pass the `next` of the page before, unchanged' }],
      });
    const at = new Date(cursor.at);
    where.push({ OR: [{ queuedAt: { lt: at } }, { queuedAt: at, id: { lt: cursor.id } }] });
  }
  const rows = await db.jobRun.findMany({
    where: { AND: where },
    orderBy: [{ queuedAt: 'desc' }, { id: 'desc' }],
    take: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    runs: page.map(publicRun),
    next:
      rows.length > query.limit && last
        ? encodeCursor({ dir: 'older', at: last.queuedAt.getTime(), id: last.id })
        : null,
  };
}
