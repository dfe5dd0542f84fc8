import type { Prisma } from '../db';
import { APPEND_SYSTEM_LOG } from './sql';

/** Adds one `system` line after the run's last line (for the lifecycle's own notes: lost, retried, ...). */
export async function appendSystemLog(
  tx: Prisma.TransactionClient,
  runId: string,
  text: string,
): Promise<void> {
  await tx.$executeRawUnsafe(...APPEND_SYSTEM_LOG.args({ runId, text }));
}
