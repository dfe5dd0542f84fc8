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
  // Failure notices: the worker mails them, with links under PUBLIC_URL (or localhost:PORT).
  'SMTP_URL',
  'EMAIL_FROM',
  'PUBLIC_URL',
  'PORT',
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
export const WORKER_ENV_PREFIXES = [
  'WORKER_',
  'COMMAND_',
  'RUN_',
  'SCHEDULE_',
  'LOG_',
  'DEBUG_',
  'LC_',
  'CONNECTIONS_',
];

/** Names the web server does not need either: it seals connections' secrets and must never open them. */
const LAUNCHER_ONLY = [
  'ADMIN_EMAIL',
  'ADMIN_PASSWORD',
  'DATABASE_URL_WEB',
  'DATABASE_URL_WORKER',
  'CONNECTIONS_PRIVATE_KEY',
  'CONNECTIONS_PRIVATE_KEY_FILE',
];

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

/**
 * Node's flags for the web server. V8's young generation grows to 16 MiB a semi-space under load; 8 keeps
 * RSS lower at no CPU cost measurable at 32 connections (4 and 16 were no better, bench --rss). An old
 * generation capped at 512 MiB (live data is ~60 MiB once the console has been used) makes V8 grow it by
 * a smaller factor: with the console loaded, RSS under sustained load stays near 200 MiB instead of
 * climbing to 340 with garbage (bench/RESULTS.md). Not in dev (Next compiles in that process), and an
 * operator's own --max-old-space-size in NODE_OPTIONS wins.
 */
export function webNodeFlags(dev: boolean, nodeOptions = ''): string[] {
  const capOldSpace = !dev && !/--max-old-space-size/.test(nodeOptions);
  return ['--max-semi-space-size=8', ...(capOldSpace ? ['--max-old-space-size=512'] : [])];
}

export function webEnv(from: NodeJS.ProcessEnv, databaseUrl: string): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = { ...WEB_MALLOC_ENV, ...from, DATABASE_URL: databaseUrl };
  for (const name of LAUNCHER_ONLY) delete env[name];
  return env as NodeJS.ProcessEnv;
}
