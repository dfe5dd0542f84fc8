import { pool } from '../db';
import { feedUp, subscribe } from '../db/change-feed';
import { AppError } from '../errors';
import { processWide } from '../runtime/process-wide';
import { isUuid } from '../../lib/validations/ids';

/** What starting a job needs; cached per instance while the change feed is up. */
export interface JobRecord {
  id: string;
  orgId: string;
  name: string;
  concurrency: 'single' | 'parallel';
  paramsSchema: unknown;
  updatedAt: Date;
}

const MAX_ENTRIES = 10_000;
// Keyed by `${orgId}/${id or name}`; a change to a job drops everything (jobs change rarely). One cache a
// process (see process-wide.ts).
const state = processWide('job-cache', () => {
  const s = { cache: new Map<string, JobRecord>(), generation: 0 };
  const drop = () => {
    s.generation++;
    s.cache.clear();
  };
  subscribe('job_changed', 'job-cache', { onChange: drop, onReset: drop });
  return s;
});
const { cache } = state;

/** A job of the organisation by id, or else by name; another organisation's job is not found. */
export async function lookupJob(orgId: string, idOrName: string): Promise<JobRecord> {
  const cacheKey = `${orgId}/${idOrName}`;
  const listening = feedUp();
  const hit = listening ? cache.get(cacheKey) : undefined;
  if (hit) return hit;
  const readAt = state.generation;
  const byId = isUuid(idOrName);
  const columns = `id, "orgId", name, concurrency::text as concurrency, "paramsSchema", "updatedAt"`;
  const { rows } = byId
    ? // An id wins over a job that happens to be named like one.
      await pool.query<JobRecord>(
        `select ${columns} from "Job" where "orgId" = $1 and (id = $2::uuid or name = $3) order by (id = $2::uuid) desc limit 1`,
        [orgId, idOrName.toLowerCase(), idOrName],
      )
    : await pool.query<JobRecord>(`select ${columns} from "Job" where "orgId" = $1 and name = $2`, [
        orgId,
        idOrName,
      ]);
  const job = rows[0];
  if (!job) throw new AppError('job_not_found', `No job "${idOrName}" in this organisation`);
  if (listening && feedUp() && state.generation === readAt) {
    if (cache.size >= MAX_ENTRIES) cache.clear();
    cache.set(cacheKey, job);
  }
  return job;
}
