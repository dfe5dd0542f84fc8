import type { Prisma } from '../db';
import { NOW } from './sql';

/** Adds one `system` line after the run's last line (for the lifecycle's own notes: lost, retried, ...). */
export async function appendSystemLog(
  tx: Prisma.TransactionClient,
  runId: string,
  text: string,
): Promise<void> {
  // A worker that is still writing (one that was wrongly thought lost) may take the same seq: its line wins.
  await tx.$executeRawUnsafe(
    `insert into "RunLog" ("runId", seq, stream, text, at)
     select $1::uuid, coalesce(max(seq), 0) + 1, 'system', $2, ${NOW} from "RunLog" where "runId" = $1::uuid
     on conflict do nothing`,
    runId,
    text,
  );
}
