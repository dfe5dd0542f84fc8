import { createHash } from 'node:crypto';
import { pool } from '../db';
import { groupCommit } from '../db/group-commit';
import { AppError } from '../errors';

const MAX_KEY_LENGTH = 255;
const KEEP_MS = 24 * 3600 * 1000;
/** A first request that has not finished after this long is taken to have died with its instance. */
const ABANDONED_MS = 60_000;

interface Stored {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

type RecordId = { orgId: string; keyId: string; key: string };
const idOf = (r: RecordId) => `${r.orgId}/${r.keyId}/${r.key}`;

// The claims and the answers of the moment are written in one statement each (group commit), so a
// start with an Idempotency-Key costs no commit of its own beside its batch. Two claims of one key in
// one batch make Postgres refuse the statement; group commit then writes each alone (one wins).
const claim = groupCommit('idempotency-claims', {
  write: async (claims: (RecordId & { hash: string })[]) => {
    const { rows } = await pool.query<RecordId>(
      `insert into "IdempotencyRecord" as r ("orgId", "keyId", key, "requestHash")
       select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[])
       on conflict ("orgId", "keyId", key) do update set "requestHash" = excluded."requestHash", status = null, body = null, headers = null, "createdAt" = now()
         where r."createdAt" < now() - make_interval(secs => $5) or (r.status is null and r."createdAt" < now() - make_interval(secs => $6))
       returning "orgId"::text, "keyId"::text, key`,
      [
        claims.map((c) => c.orgId),
        claims.map((c) => c.keyId),
        claims.map((c) => c.key),
        claims.map((c) => c.hash),
        KEEP_MS / 1000,
        ABANDONED_MS / 1000,
      ],
    );
    return new Set(rows.map(idOf));
  },
  answers: (claims, won) => claims.map((c) => won.has(idOf(c))),
});

const keep = groupCommit('idempotency-answers', {
  write: async (answers: (RecordId & { stored: Stored })[]) => {
    await pool.query(
      `update "IdempotencyRecord" r set status = u.status, body = u.body, headers = u.headers
       from unnest($1::uuid[], $2::uuid[], $3::text[], $4::int[], $5::jsonb[], $6::jsonb[]) as u("orgId", "keyId", key, status, body, headers)
       where r."orgId" = u."orgId" and r."keyId" = u."keyId" and r.key = u.key`,
      [
        answers.map((a) => a.orgId),
        answers.map((a) => a.keyId),
        answers.map((a) => a.key),
        answers.map((a) => a.stored.status),
        answers.map((a) => JSON.stringify(a.stored.body)),
        answers.map((a) => JSON.stringify(a.stored.headers)),
      ],
    );
  },
  answers: (answers) => answers.map(() => undefined),
});

/** Whose keys: records are kept per API key, so one key never sees another key's answers. */
export interface IdempotencyScope {
  orgId: string;
  keyId: string;
}

/**
 * Runs `produce` once per (API key, Idempotency-Key) for 24 hours: a replay with the same body gets
 * the first answer again (Idempotent-Replayed: true), another body 422, a replay while the first is in
 * flight 409. Without the header it just runs. A failure worth retrying (5xx) frees the key at once.
 */
export async function idempotent(
  scope: IdempotencyScope,
  key: string | null,
  fingerprint: string,
  produce: () => Promise<Response>,
): Promise<Response> {
  if (key === null) return produce();
  if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw new AppError('validation_failed', 'Idempotency-Key must be 1 to 255 characters', {
      errors: [{ path: 'Idempotency-Key', message: '1 to 255 characters' }],
    });
  }
  const hash = createHash('sha256').update(fingerprint).digest('hex');
  // Claim the key, or take over one that expired or was abandoned mid-flight.
  const claimed = await claim({ orgId: scope.orgId, keyId: scope.keyId, key, hash });
  if (!claimed) {
    const { rows } = await pool.query(
      `select "requestHash", status, body, headers from "IdempotencyRecord" where "orgId" = $1 and "keyId" = $2 and key = $3`,
      [scope.orgId, scope.keyId, key],
    );
    const record = rows[0];
    if (!record) return idempotent(scope, key, fingerprint, produce); // deleted in between: try again
    if (record.requestHash !== hash)
      throw new AppError(
        'idempotency_key_reused',
        'This Idempotency-Key was used with another request body; use a new key',
      );
    if (record.status === null)
      throw new AppError(
        'idempotency_key_in_use',
        'A request with this Idempotency-Key is still being processed; retry shortly',
        { headers: { 'Retry-After': '1' } },
      );
    return replay({ status: record.status, body: record.body, headers: record.headers ?? {} });
  }

  let response: Response;
  try {
    response = await produce();
  } catch (error) {
    // Answers the caller should see again are kept; failures worth retrying free the key.
    if (error instanceof AppError && error.status < 500) await store(scope, key, problemOf(error));
    else await forget(scope, key);
    throw error;
  }
  if (response.status >= 500) await forget(scope, key);
  else {
    // The text as sent, kept as a JSON string: jsonb would reorder an object's members.
    const body = await response.clone().text();
    const headers: Record<string, string> = {};
    for (const name of ['location', 'content-type']) {
      const value = response.headers.get(name);
      if (value) headers[name] = value;
    }
    await store(scope, key, { status: response.status, body, headers });
  }
  return response;
}

function problemOf(error: AppError): Stored {
  return {
    status: -error.status,
    body: {
      code: error.code,
      message: error.message,
      extra: error.extra ?? null,
      errors: error.errors ?? null,
    },
    headers: {},
  };
}

/**
 * Keeps the answer. When it cannot be kept the key is freed rather than left looking in flight, and the
 * caller still gets the answer that was produced.
 */
async function store(scope: IdempotencyScope, key: string, stored: Stored) {
  try {
    await keep({ orgId: scope.orgId, keyId: scope.keyId, key, stored });
  } catch (error) {
    console.error(
      JSON.stringify({
        level: 'error',
        msg: 'idempotency record not stored',
        error: (error as Error).message,
      }),
    );
    await forget(scope, key);
  }
}

async function forget(scope: IdempotencyScope, key: string) {
  await pool
    .query(`delete from "IdempotencyRecord" where "orgId" = $1 and "keyId" = $2 and key = $3`, [
      scope.orgId,
      scope.keyId,
      key,
    ])
    .catch(() => {});
}

function replay(stored: Stored): Response {
  if (stored.status < 0) {
    // A stored refusal is thrown again so it is written by the one problem+json writer.
    const body = stored.body as {
      code: AppError['code'];
      message: string;
      extra: Record<string, unknown> | null;
      errors: AppError['errors'] | null;
    };
    throw new AppError(body.code, body.message, {
      extra: { ...(body.extra ?? {}) },
      errors: body.errors ?? undefined,
      headers: { 'Idempotent-Replayed': 'true' },
    });
  }
  // Answers stored before the text was kept are objects.
  const text = typeof stored.body === 'string' ? stored.body : JSON.stringify(stored.body);
  return new Response(text, {
    status: stored.status,
    headers: { ...stored.headers, 'Idempotent-Replayed': 'true' },
  });
}
