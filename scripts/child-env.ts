// What the launcher hands each process it starts. The worker runs other people's jobs, so it gets an
// allowlist (its database URL and its settings) and nothing else: no signing or session secrets, no
// owner's database URL, no admin password.

/** How the launcher runs a worker (node's arguments). */
export const WORKER_ARGS = ['--import', 'tsx', 'worker/main.ts'];

/** Names a worker process receives, exactly. */
export const WORKER_ENV_NAMES = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'LANG',
  'TZ',
  'TMPDIR',
  'NODE_ENV',
  'DATA_DIR',
  'ORG_MAX_CONCURRENT_RUNS',
  'AUDIT_RETENTION_DAYS',
  'HTTP_JOBS_ALLOWED_HOSTS',
  'DATABASE_POOL_SIZE',
  'NODE_EXTRA_CA_CERTS',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
];
/** Prefixes of names a worker process receives. */
export const WORKER_ENV_PREFIXES = ['WORKER_', 'COMMAND_', 'RUN_', 'LOG_', 'DEBUG_', 'LC_'];

/** Names the web server does not need either. */
const LAUNCHER_ONLY = ['ADMIN_EMAIL', 'ADMIN_PASSWORD', 'DATABASE_URL_WEB', 'DATABASE_URL_WORKER'];

const allowedForWorker = (name: string) =>
  WORKER_ENV_NAMES.includes(name) || WORKER_ENV_PREFIXES.some((prefix) => name.startsWith(prefix));

export function workerEnv(from: NodeJS.ProcessEnv, databaseUrl: string): NodeJS.ProcessEnv {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(from))
    if (value !== undefined && allowedForWorker(name)) env[name] = value;
  return { ...env, DATABASE_URL: databaseUrl } as unknown as NodeJS.ProcessEnv;
}

/**
 * glibc malloc settings of the web server, unless the operator set them (other libcs ignore them). The
 * threads that compile JavaScript and WebAssembly (Prisma's query compiler, first loaded by a query)
 * and libuv's (WebCrypto, DNS) each get a malloc arena of their own by default, and what they free
 * stays in it: at most 2 arenas, and blocks of 128 KiB and more mapped on their own (the threshold
 * fixed, not raised as freed blocks grow), give that memory back. bench/RESULTS.md: ~40-60 MiB of RSS.
 */
export const WEB_MALLOC_ENV = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' };

export function webEnv(from: NodeJS.ProcessEnv, databaseUrl: string): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = { ...WEB_MALLOC_ENV, ...from, DATABASE_URL: databaseUrl };
  for (const name of LAUNCHER_ONLY) delete env[name];
  return env as NodeJS.ProcessEnv;
}
