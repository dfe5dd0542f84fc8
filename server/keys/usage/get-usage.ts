import type { UserActor } from '../../auth/actor';
import { pool } from '../../db';
import { OUTCOMES, outcomeOf, RANGES, type Outcome, type UsageRange } from '../../../lib/key-usage';

export type UsagePoint = { t: string } & Record<Outcome, number>;

export interface Usage {
  range: UsageRange;
  points: UsagePoint[];
  totals: Record<Outcome, number>;
}

const HOUR = 3_600_000;
const zero = () => Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;

/**
 * Requests over the range by outcome, in buckets (hours for 24 hours, 6 hours for 7 days, days for 30),
 * for one key of the actor's organisation or (keyId null) all of them. Empty buckets are zeros.
 */
export async function getUsage(
  actor: UserActor,
  keyId: string | null,
  range: UsageRange,
  now = Date.now(),
): Promise<Usage> {
  const { hours, bucketHours } = RANGES[range];
  const bucket = bucketHours * HOUR;
  const end = Math.floor(now / bucket) * bucket + bucket;
  const start = end - Math.ceil(hours / bucketHours) * bucket;
  const { rows } = await pool.query<{ hour: Date; status: number; count: string }>(
    `select hour at time zone 'UTC' as hour, status, sum(count) as count from "ApiKeyUsage"
     where "orgId" = $1 and ($2::uuid is null or "apiKeyId" = $2) and hour >= $3::timestamptz and hour < $4::timestamptz
     group by 1, status`,
    [actor.orgId, keyId, new Date(start), new Date(end)],
  );
  const points: UsagePoint[] = [];
  for (let t = start; t < end; t += bucket) points.push({ t: new Date(t).toISOString(), ...zero() });
  const totals = zero();
  for (const row of rows) {
    const i = Math.floor((row.hour.getTime() - start) / bucket);
    const outcome = outcomeOf(row.status);
    const n = Number(row.count);
    if (points[i]) points[i][outcome] += n;
    totals[outcome] += n;
  }
  return { range, points, totals };
}
