// npm run bench -- --rss: where the web process's memory goes under the start load, for tuning it.
// The app is started by the launcher (worker off) as in the start bench; beside its web child the bench
// may start variants of it (other node flags or environment, e.g. MALLOC_ARENA_MAX) from the same
// build with the same environment, on the same database. Then rounds of POST /etl-mgr/api/apijob at
// 32 connections alternate between them, so their figures are side by side on a shared machine.
// Each process's VmRSS (anonymous / file-backed), threads and glibc malloc arenas are sampled from
// /proc every 200 ms; its V8 heap (new and old space), external memory from its /metrics every second.
//
//   RSS_VARIANTS='[{"name":"glibc default","args":["--max-semi-space-size=8"],"unset":["MALLOC_ARENA_MAX"]},
//                  {"name":"semi4","args":["--max-semi-space-size=4"],"env":{"UV_THREADPOOL_SIZE":"2"}}]'
//   RSS_ROUNDS=3 RSS_SECONDS=10   (rounds of each variant, seconds a round)
//   RSS_WARM=/invite/x             (a path every process is asked for before the load: this one's page
//                                   queries through Prisma, as the console's do, so its WebAssembly loads)
//
// A variant's args replace the launcher's node flags for the web child. Nothing is written to RESULTS.md.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { median, runLoad } from './lib/load';
import { API_PATH, JOB_NAME, log, ms, sleep } from './config';
import { dataDir, state } from './lifecycle';
import { baseEnv, databaseOf, makeKeyAndJob, post, snapshotBuild, startApp } from './targets';
import { freePort } from '../server/runtime/embedded-postgres';
import { childRunning, startService, WEB_SERVER } from '../testkit/processes';
import { commandLine, cpuMs, uptime } from '../testkit/proc-fs';

interface Variant {
  name: string;
  args?: string[];
  env?: Record<string, string>;
  /** Names of the launcher's web environment to leave out (e.g. MALLOC_ARENA_MAX: as before it was set). */
  unset?: string[];
}
interface Server {
  name: string;
  pid: number;
  port: number;
  metricsPort: number;
}
/** One moment of a process's memory, in MiB. */
interface Sample {
  rss: number;
  anon: number;
  file: number;
  threads: number;
  arenas: number;
  heapTotal: number;
  heapUsed: number;
  newSpace: number;
  oldSpace: number;
  external: number;
}

const MiB = 1024 * 1024;
const ROUNDS = Number(process.env.RSS_ROUNDS ?? 3);
const SECONDS = Number(process.env.RSS_SECONDS ?? 10);

function procStatus(pid: number): Pick<Sample, 'rss' | 'anon' | 'file' | 'threads'> {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(text.match(new RegExp(`^${field}:\\s+(\\d+)`, 'm'))?.[1] ?? 0);
  return {
    rss: kib('VmRSS') / 1024,
    anon: kib('RssAnon') / 1024,
    file: (kib('RssFile') + kib('RssShmem')) / 1024,
    threads: kib('Threads'),
  };
}

/** glibc's secondary malloc arenas: 64 MiB reservations, an rw part followed by its ---p rest. */
function arenaCount(pid: number): number {
  const maps = readFileSync(`/proc/${pid}/maps`, 'utf8').trim().split('\n');
  let count = 0;
  for (let i = 1; i < maps.length; i++) {
    const [range, perms, , , inode] = maps[i].split(/\s+/);
    const [prevRange, prevPerms, , , prevInode] = maps[i - 1].split(/\s+/);
    if (perms !== '---p' || prevPerms !== 'rw-p' || inode !== '0' || prevInode !== '0') continue;
    const [start, end] = range.split('-').map((h) => parseInt(h, 16));
    const [prevStart, prevEnd] = prevRange.split('-').map((h) => parseInt(h, 16));
    if (prevEnd === start && end - prevStart === 64 * MiB && prevStart % (64 * MiB) === 0) count++;
  }
  return count;
}

/** The V8 parts from prom-client's default metrics, in MiB. */
async function heap(
  server: Server,
): Promise<Pick<Sample, 'heapTotal' | 'heapUsed' | 'newSpace' | 'oldSpace' | 'external'>> {
  const text = await (await fetch(`http://127.0.0.1:${server.metricsPort}/metrics`)).text();
  const value = (re: RegExp) => Number(text.match(re)?.[1] ?? NaN) / MiB;
  return {
    heapTotal: value(/^nodejs_heap_size_total_bytes (\S+)/m),
    heapUsed: value(/^nodejs_heap_size_used_bytes (\S+)/m),
    newSpace: value(/^nodejs_heap_space_size_total_bytes\{space="new"\} (\S+)/m),
    oldSpace: value(/^nodejs_heap_space_size_total_bytes\{space="old"\} (\S+)/m),
    external: value(/^nodejs_external_memory_bytes (\S+)/m),
  };
}

async function sample(server: Server): Promise<Sample> {
  return { ...procStatus(server.pid), arenas: arenaCount(server.pid), ...(await heap(server)) };
}

/** A variant: the launcher's web child's command and environment, with the variant's flags and env. */
async function startVariant(appRoot: string, launcherPid: number, variant: Variant): Promise<Server> {
  const webPid = childRunning(launcherPid, WEB_SERVER)!;
  const env = Object.fromEntries(
    readFileSync(`/proc/${webPid}/environ`, 'utf8')
      .split('\0')
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
  for (const name of variant.unset ?? []) delete env[name];
  const port = await freePort();
  const metricsPort = await freePort();
  const script = commandLine(webPid).split(' ').pop()!;
  const proc = await startService(`web ${variant.name}`, [...(variant.args ?? []), script], {
    cwd: appRoot,
    env: {
      ...env,
      ...variant.env,
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
    } as unknown as NodeJS.ProcessEnv,
    logFile: path.join(dataDir, `web-${variant.name}.log`),
    ready: /listening on/,
    timeoutMs: 120_000,
  });
  // The launcher asks its web child for /api/health once before it says ready: so do we.
  if (!(await fetch(`http://127.0.0.1:${port}/api/health`)).ok)
    throw new Error(`${variant.name}: not healthy`);
  return { name: variant.name, pid: proc.pid, port, metricsPort };
}

async function warm(server: Server): Promise<void> {
  const warmPath = process.env.RSS_WARM;
  if (!warmPath) return;
  const res = await fetch(`http://127.0.0.1:${server.port}${warmPath}`, { redirect: 'manual' });
  await res.arrayBuffer();
  log(`${server.name}: GET ${warmPath} answered ${res.status}`);
}

interface Row {
  /** Server CPU per answered start, µs, a round. */
  cpu: number[];
  rps: number[];
  p99: number[];
  errors: number;
  idle: Sample;
  peak: Sample;
  max: Sample;
}

async function loadRound(server: Server, token: string, row: Row, ref: string): Promise<void> {
  let busy = false;
  const take = async () => {
    if (busy) return;
    busy = true;
    try {
      const s = await sample(server);
      if (s.rss > row.peak.rss) row.peak = s;
      for (const k of Object.keys(s) as (keyof Sample)[]) row.max[k] = Math.max(row.max[k], s[k]);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void take().catch(() => {}), 200);
  const cpu0 = cpuMs([server.pid]);
  try {
    const result = await runLoad({
      url: `http://127.0.0.1:${server.port}${API_PATH}`,
      headers: { 'content-type': 'application/json', 'x-api-key': token },
      body: JSON.stringify({ id: JOB_NAME, jobid: ref }),
      connections: 32,
      duration: SECONDS,
    });
    const cpuUs = ((cpuMs([server.pid]) - cpu0) * 1000) / Math.max(1, result.ok);
    row.cpu.push(cpuUs);
    row.rps.push(result.rps);
    row.p99.push(result.p99);
    row.errors += result.errors + result.timeouts + result.non2xx;
    log(
      `${server.name.padEnd(12)} ${result.rps.toFixed(0).padStart(5)} req/s  p99 ${ms(result.p99)}  ` +
        `CPU ${cpuUs.toFixed(0)} µs/start  ` +
        `errors ${result.errors + result.timeouts + result.non2xx}  RSS max ${row.max.rss.toFixed(0)} MiB`,
    );
  } finally {
    clearInterval(timer);
  }
  await take().catch(() => {});
}

const f = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : '-');

export async function benchRss(): Promise<void> {
  const variants: Variant[] = JSON.parse(process.env.RSS_VARIANTS ?? '[]');
  log(`rss: ${ROUNDS} rounds of ${SECONDS}s a variant; ${uptime()}`);
  const { appRoot } = await snapshotBuild();
  const appPort = await freePort();
  const appMetrics = await freePort();
  const launcher = await startApp(appRoot, appPort, { METRICS_PORT: String(appMetrics) });
  const { databaseUrl, secrets } = databaseOf();
  const token = await makeKeyAndJob(baseEnv({ DATABASE_URL: databaseUrl, API_KEY_SECRETS: secrets }));
  state.db = new pg.Client({ connectionString: databaseUrl });
  state.db.on('error', () => {});
  await state.db.connect();
  const webPid = childRunning(launcher.pid, WEB_SERVER)!;
  const servers: Server[] = [{ name: 'launcher', pid: webPid, port: appPort, metricsPort: appMetrics }];
  for (const v of variants) servers.push(await startVariant(appRoot, launcher.pid, v));
  for (const s of servers) {
    const res = await post(s.port, { id: JOB_NAME, jobid: 'smoke' }, token);
    if (res.status !== 202) throw new Error(`${s.name}: smoke start answered ${res.status}: ${res.text}`);
    log(`${s.name}: pid ${s.pid}: ${commandLine(s.pid).replace(/^\S*\/node\b/, 'node')}`);
    await warm(s);
  }
  await sleep(2_000);
  const rows = new Map<string, Row>();
  for (const s of servers) {
    const idle = await sample(s);
    rows.set(s.name, { cpu: [], rps: [], p99: [], errors: 0, idle, peak: idle, max: { ...idle } });
  }
  for (let i = 0; i < ROUNDS; i++)
    for (const s of servers) await loadRound(s, token, rows.get(s.name)!, `rss-${s.name}-${i}`);

  const head =
    '| variant | req/s median | p99 median | server CPU/start median | errors | RSS idle | RSS max | at max: anon / file | threads | malloc arenas | V8 heap total (used) / new / old | external |';
  const lines = [head, head.replace(/[^|]+/g, ' --- ')];
  for (const s of servers) {
    const r = rows.get(s.name)!;
    const p = r.peak;
    lines.push(
      `| ${s.name} | ${f(median(r.rps))} | ${ms(median(r.p99))} | ${f(median(r.cpu))} µs | ${r.errors} | ${f(r.idle.rss)} | **${f(r.max.rss)}** | ` +
        `${f(p.anon)} / ${f(p.file)} | ${p.threads} | ${r.max.arenas} | ${f(p.heapTotal)} (${f(p.heapUsed)}) / ${f(p.newSpace)} / ${f(p.oldSpace)} | ${f(p.external)} |`,
    );
  }
  console.log(`\nMiB; "at max" is the sample with the highest RSS. ${uptime()}\n${lines.join('\n')}`);
}
