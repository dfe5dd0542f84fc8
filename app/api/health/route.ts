// The pool, not Prisma: a liveness probe must not load Prisma's query compiler (WebAssembly, ~40-70 MiB
// of RSS once compiled) into a web process that only serves the job API (bench/RESULTS.md).
import { pool } from '@/server/db/app-pool';

export const dynamic = 'force-dynamic';

const TIMEOUT_MS = 3_000;

/** Liveness of the app and its database: 200 {"status":"ok"} or 503 {"status":"unavailable"}. */
export async function GET() {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('health check timed out')), TIMEOUT_MS);
  });
  const headers = { 'Cache-Control': 'no-store' };
  try {
    await Promise.race([pool.query('select 1'), timeout]);
    return Response.json({ status: 'ok' }, { headers });
  } catch {
    return Response.json({ status: 'unavailable' }, { status: 503, headers });
  } finally {
    clearTimeout(timer);
  }
}
