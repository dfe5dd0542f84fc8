// The floors of `npm run bench`: the least a server can do per job start. node:http + jose + pg, nothing
// else: read the JSON body, verify the token (HS256, secret by kid), load the key row by id and compare
// the SHA-256 digest in constant time, load the job by name in the key's organisation, write the run and
// answer 202 JSON. Three statements a start, each its own autocommit transaction.
//   FLOOR=full (target A): the run with the app's SQL function, etl_start_runs, for this one start (run
//     row, queue entry and audit event in one transaction): the same work as POST /etl-mgr/api/apijob.
//   FLOOR=minimal (target Amin): an insert of the run row, nothing else (no queue entry, no audit event).
//
// env: FLOOR, PORT, DATABASE_URL, API_KEY_SECRETS (kid:base64,...), DATABASE_POOL_SIZE (default 10).
// Listens on 127.0.0.1 only; prints "floor listening on <port>" when ready; SIGTERM/SIGINT stop it.
import { errors, jwtVerify, type JWTPayload } from 'jose';
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import pg from 'pg';

const MAX_BODY = 64 * 1024;
const minimal = process.env.FLOOR === 'minimal';
const port = Number(process.env.PORT ?? 0);
const secrets = new Map<string, Uint8Array>(
  (process.env.API_KEY_SECRETS ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const colon = entry.indexOf(':');
      return [entry.slice(0, colon), new Uint8Array(Buffer.from(entry.slice(colon + 1), 'base64'))] as const;
    }),
);
if (secrets.size === 0) throw new Error('API_KEY_SECRETS is not set');

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
});
pool.on('error', () => {});

// The same statement as the app's key loader (server/keys/key-cache.ts), run on every request here.
const SELECT_KEY = `
  select k.id, k."orgId", o.slug as "orgSlug", k.name, k.digest, k."jobIds", k."expiresAt", k."revokedAt", k."graceUntil"
  from "ApiKey" k join "Organization" o on o.id = k."orgId" where k.id = $1`;
const SELECT_JOB = `select id, name, concurrency from "Job" where "orgId" = $1 and name = $2`;

// FLOOR=full: the run through the app's SQL function for one start (run row, queue entry and audit event
// in one transaction), its fields by name. FLOOR=minimal: the run row alone, autocommit.
const START_RUNS = `select run_id, active_run_id from etl_start_runs($1::jsonb)`;
const INSERT_RUN = `insert into "JobRun" (id, "orgId", "jobId", params, trigger, "apiKeyId", "externalRef")
  values ($1, $2, $3, $4, 'api', $5, $6)`;

interface Start {
  runId: string;
  orgId: string;
  jobId: string;
  params: unknown;
  keyId: string;
  keyName: string;
  externalRef: string | null;
  single: boolean;
  ip: string | null;
  jobName: string;
}

/** Writes the run; the id of the run that keeps a "single" job busy when it was refused. */
async function writeRun(a: Start): Promise<string | null> {
  if (minimal) {
    await pool.query(INSERT_RUN, [
      a.runId,
      a.orgId,
      a.jobId,
      JSON.stringify(a.params),
      a.keyId,
      a.externalRef,
    ]);
    return null;
  }
  const start = {
    i: 0,
    runId: a.runId,
    orgId: a.orgId,
    jobId: a.jobId,
    params: a.params,
    trigger: 'api',
    apiKeyId: a.keyId,
    userId: null,
    externalRef: a.externalRef,
    scheduleId: null,
    single: a.single,
    actor: `key:${a.keyId}`,
    actorName: a.keyName,
    ip: a.ip,
    jobName: a.jobName,
  };
  const { rows } = await pool.query(START_RUNS, [JSON.stringify([start])]);
  return rows[0].run_id ? null : rows[0].active_run_id;
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(code);
  }
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Refusal(413, 'payload_too_large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function startRun(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const token = req.headers['x-api-key'];
  if (typeof token !== 'string' || !token) throw new Refusal(401, 'api_key_missing');
  let body: { id?: unknown; params?: unknown; jobid?: unknown };
  try {
    body = JSON.parse(await readBody(req));
  } catch (error) {
    if (error instanceof Refusal) throw error;
    throw new Refusal(400, 'invalid_json');
  }
  if (typeof body?.id !== 'string') throw new Refusal(422, 'validation_failed');

  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(
      token,
      (header) => {
        const secret = header.kid === undefined ? undefined : secrets.get(header.kid);
        if (!secret) throw new errors.JWSSignatureVerificationFailed('unknown kid');
        return secret;
      },
      { algorithms: ['HS256'] },
    ));
  } catch {
    throw new Refusal(401, 'api_key_invalid');
  }
  if (typeof claims.id !== 'string' || typeof claims.org !== 'string')
    throw new Refusal(401, 'api_key_invalid');

  const { rows: keys } = await pool.query(SELECT_KEY, [claims.id]);
  const key = keys[0];
  if (!key || key.orgSlug !== claims.org) throw new Refusal(401, 'api_key_invalid');
  const now = Date.now();
  if (key.revokedAt !== null || (key.graceUntil !== null && key.graceUntil.getTime() <= now))
    throw new Refusal(401, 'api_key_revoked');
  if (key.expiresAt !== null && key.expiresAt.getTime() <= now) throw new Refusal(401, 'api_key_expired');
  const presented = createHash('sha256').update(token).digest();
  const stored = Buffer.from(key.digest, 'hex');
  if (presented.length !== stored.length || !timingSafeEqual(presented, stored))
    throw new Refusal(401, 'api_key_invalid');

  const { rows: jobs } = await pool.query(SELECT_JOB, [key.orgId, body.id]);
  const job = jobs[0];
  if (!job) throw new Refusal(404, 'job_not_found');
  if (key.jobIds?.length && !key.jobIds.includes(job.id)) throw new Refusal(403, 'job_not_allowed');

  const params = body.params && typeof body.params === 'object' ? body.params : {};
  const runId = randomUUID();
  const busy = await writeRun({
    runId,
    orgId: key.orgId,
    jobId: job.id,
    params,
    keyId: key.id,
    keyName: key.name,
    externalRef: typeof body.jobid === 'string' ? body.jobid : null,
    single: job.concurrency === 'single',
    ip:
      (req.headers['x-forwarded-for'] as string | undefined)?.split(',')[0].trim() ??
      req.socket.remoteAddress ??
      null,
    jobName: job.name,
  });
  if (busy) throw new Refusal(409, 'job_already_running');
  return {
    message: 'job started',
    id: job.id,
    name: job.name,
    runId,
    status: 'queued',
    statusUrl: `/etl-mgr/api/runs/${runId}`,
  };
}

const server = http.createServer((req, res) => {
  if (req.method !== 'POST') {
    req.resume();
    send(res, 405, { code: 'method_not_allowed' }, { Allow: 'POST' });
    return;
  }
  startRun(req).then(
    (body) => send(res, 202, body, { Location: body.statusUrl as string }),
    (error) => {
      if (error instanceof Refusal) send(res, error.status, { code: error.code });
      else {
        console.error(`floor: ${error instanceof Error ? error.message : error}`);
        send(res, 500, { code: 'internal_error' });
      }
    },
  );
});
server.keepAliveTimeout = 65_000;

server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  console.log(`floor listening on ${typeof address === 'object' && address ? address.port : port}`);
});

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  server.close();
  server.closeAllConnections();
  pool.end().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 3_000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
