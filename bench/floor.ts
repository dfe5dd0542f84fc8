// The floor (target A of `npm run bench`): the least a server can do per job start and still do the
// same work as POST /etl-mgr/api/apijob. node:http + jose + pg, nothing else: read the JSON body,
// verify the token (HS256, secret by kid), load the key row by id and compare the SHA-256 digest in
// constant time, load the job by name in the key's organisation, and start the run with the same SQL
// function as the app (etl_start_run: run row + queue entry in one transaction); answer 202 JSON.
//
// env: PORT, DATABASE_URL, API_KEY_SECRETS (kid:base64,...), DATABASE_POOL_SIZE (default 10, as the app).
// Listens on 127.0.0.1 only; prints "floor listening on <port>" when ready; SIGTERM/SIGINT stop it.
import { errors, jwtVerify, type JWTPayload } from 'jose';
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import pg from 'pg';

const MAX_BODY = 64 * 1024;
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

// etl_start_run's parameters, read from the database at start: the function is the app's (its
// migrations define it) and its arguments may grow; each is passed by name, as the app fills it.
type StartArgs = {
  runId: string;
  orgId: string;
  jobId: string;
  params: string;
  keyId: string;
  keyName: string;
  externalRef: string | null;
  single: boolean;
  ip: string | null;
  jobName: string;
};
const ARG_VALUES: Record<string, (a: StartArgs) => unknown> = {
  p_run_id: (a) => a.runId,
  p_org_id: (a) => a.orgId,
  p_job_id: (a) => a.jobId,
  p_params: (a) => a.params,
  p_trigger: () => 'api',
  p_api_key_id: (a) => a.keyId,
  p_user_id: () => null,
  p_external_ref: (a) => a.externalRef,
  p_single: (a) => a.single,
  p_actor: (a) => `key:${a.keyId}`,
  p_actor_name: (a) => a.keyName,
  p_ip: (a) => a.ip,
  p_job_name: (a) => a.jobName,
};
let startRunSql = '';
let startRunArgs: string[] = [];

async function prepareStartRun(): Promise<void> {
  const { rows } = await pool.query<{ names: string[] }>(
    `select proargnames[1:pronargs] as names from pg_proc where proname = 'etl_start_run' order by pronargs desc limit 1`,
  );
  if (!rows[0]) throw new Error('etl_start_run is not in the database: migrate it first');
  startRunArgs = rows[0].names;
  const unknown = startRunArgs.filter((name) => !ARG_VALUES[name]);
  if (unknown.length)
    console.error(
      `floor: etl_start_run has parameters it does not know (${unknown.join(', ')}): passing null`,
    );
  startRunSql = `select run_id, active_run_id from etl_start_run(${startRunArgs.map((name, i) => `${name} => $${i + 1}`).join(', ')})`;
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
  const args: StartArgs = {
    runId: randomUUID(),
    orgId: key.orgId,
    jobId: job.id,
    params: JSON.stringify(params),
    keyId: key.id,
    keyName: key.name,
    externalRef: typeof body.jobid === 'string' ? body.jobid : null,
    single: job.concurrency === 'single',
    ip:
      (req.headers['x-forwarded-for'] as string | undefined)?.split(',')[0].trim() ??
      req.socket.remoteAddress ??
      null,
    jobName: job.name,
  };
  const { rows } = await pool.query(
    startRunSql,
    startRunArgs.map((name) => ARG_VALUES[name]?.(args) ?? null),
  );
  if (!rows[0].run_id) throw new Refusal(409, 'job_already_running');
  const runId = rows[0].run_id as string;
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

await prepareStartRun();
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
