import type { UserActor } from '../../auth/actor';
import { pool } from '../../db';
import type { KeyRequestRow, Outcome } from '../../../lib/key-usage';

const PAGE = 50;
const CURSOR = /^(\d{4}-\d{2}-\d{2}T[\d:.]+Z)_(\d{1,19})$/;

/** "<at>_<id>" of the last row shown: the next page starts after it. */
export function requestCursor(row: Pick<KeyRequestRow, 'at' | 'id'>): string {
  return `${row.at.toISOString()}_${row.id}`;
}

/** The request log, newest first: one key's (or every key's of the organisation), by outcome if given. */
export async function listKeyRequests(
  actor: UserActor,
  filter: { keyId: string | null; outcome: Outcome | null; after?: string | null },
): Promise<{ items: KeyRequestRow[]; next: string | null }> {
  const cursor = filter.after?.match(CURSOR);
  const status =
    filter.outcome === 'accepted'
      ? 'and r.status < 300'
      : filter.outcome === 'other'
        ? 'and r.status >= 300 and r.status not in (401, 403, 404, 409, 422, 429)'
        : filter.outcome
          ? `and r.status = ${Number(filter.outcome)}`
          : '';
  const { rows } = await pool.query<KeyRequestRow>(
    `select r.id::text as id, r.at at time zone 'UTC' as at, r."apiKeyId", k.name as "keyName", r.status, r.code, r.job, r."runId", r.ip, r."requestId"
     from "ApiKeyRequest" r join "ApiKey" k on k.id = r."apiKeyId"
     where r."orgId" = $1 and ($2::uuid is null or r."apiKeyId" = $2) ${status}
       and ($3::timestamp is null or (r.at, r.id) < ($3::timestamp, $4::bigint))
     order by r.at desc, r.id desc limit ${PAGE + 1}`,
    [actor.orgId, filter.keyId, cursor ? cursor[1] : null, cursor ? cursor[2] : null],
  );
  const items = rows.slice(0, PAGE);
  return { items, next: rows.length > PAGE ? requestCursor(items[items.length - 1]) : null };
}
