// One round of load against one target, with its CPU, memory and rows counted; and their summaries.
import { median, runLoad, runPaced, type LoadResult } from './lib/load';
import { API_PATH, JOB_NAME, log, ms, sleep, type TargetName } from './config';
import { postmasterPid, state } from './lifecycle';
import type { Targets } from './targets';
import { commandLine, cpuMs, listeningPid, processName, processTree, rssKiB } from '../testkit/proc-fs';

export interface Round extends LoadResult {
  target: TargetName;
  phase: string;
  connections: number;
  overallRate?: number;
  rssMaxKiB: number;
  serverCpuMs: number;
  pgCpuMs: number;
  clientCpuMs: number;
  /** Rows written with this round's reference; null when the round does not start runs. */
  rows: number | null;
  rowsOk: boolean;
}

let roundNo = 0;
/** Every recorded round, in order. */
export const rounds: Round[] = [];
/** Set once the targets are up. */
export const bench: { targets: Targets } = { targets: undefined as unknown as Targets };

/** The process serving B: whichever process listens on the app's port (the launcher's web child). */
function appPid(): number {
  const pid = listeningPid(bench.targets.ports.B);
  if (pid) return pid;
  const tree = processTree(bench.targets.launcher.child.pid!).slice(1);
  return (
    tree.find((p) =>
      /next-server|scripts\/web|next\b.*\bstart\b/.test(`${processName(p)} ${commandLine(p)}`),
    ) ?? bench.targets.launcher.child.pid!
  );
}

export function serverPid(target: TargetName): number {
  return target === 'B' ? appPid() : bench.targets.floors[target].child.pid!;
}

export type Probe = 'no-key' | 'get';

export async function round(
  target: TargetName,
  phase: string,
  opts: { connections: number; seconds: number; overallRate?: number; probe?: Probe; record?: boolean },
): Promise<Round> {
  if (state.interrupted) throw new Error('interrupted');
  const ref = `${phase}-${target}-${++roundNo}`;
  const port = bench.targets.ports[target];
  const pid = serverPid(target);
  const pgRoot = postmasterPid();
  const pgTree = () => (pgRoot ? processTree(pgRoot) : []);
  let rssMax = rssKiB(pid) ?? 0;
  const sampler = setInterval(() => {
    rssMax = Math.max(rssMax, rssKiB(pid) ?? 0);
  }, 200);
  const cpu0 = { server: cpuMs(processTree(pid)), pg: cpuMs(pgTree()), client: process.cpuUsage() };
  let result: LoadResult;
  try {
    result = opts.overallRate
      ? await runPaced({
          url: `http://127.0.0.1:${port}${API_PATH}`,
          headers: { 'content-type': 'application/json', 'x-api-key': bench.targets.token },
          body: JSON.stringify({ id: JOB_NAME, jobid: ref }),
          rate: opts.overallRate,
          seconds: opts.seconds,
          connections: opts.connections,
        })
      : await runLoad({
          url: `http://127.0.0.1:${port}${API_PATH}`,
          method: opts.probe === 'get' ? 'GET' : 'POST',
          headers:
            opts.probe === 'get'
              ? {}
              : {
                  'content-type': 'application/json',
                  ...(opts.probe ? {} : { 'x-api-key': bench.targets.token }),
                },
          body: opts.probe === 'get' ? undefined : JSON.stringify({ id: JOB_NAME, jobid: ref }),
          connections: opts.connections,
          duration: opts.seconds,
          overallRate: opts.overallRate,
          expectStatus: opts.probe === 'get' ? 405 : opts.probe === 'no-key' ? 401 : undefined,
        });
  } finally {
    clearInterval(sampler);
  }
  const client = process.cpuUsage(cpu0.client);
  const serverCpu = cpuMs(processTree(pid)) - cpu0.server;
  const pgCpu = cpuMs(pgTree()) - cpu0.pg;
  rssMax = Math.max(rssMax, rssKiB(pid) ?? 0);

  let rows: number | null = null;
  let rowsOk = true;
  if (!opts.probe) {
    // Requests cut off at the end of the round may still commit: let them land, then count.
    await sleep(300);
    rows = (
      await state.db!.query<{ n: number }>(
        'select count(*)::int as n from "JobRun" where "externalRef" = $1',
        [ref],
      )
    ).rows[0].n;
    // One request in flight per connection at most (no pipelining): that many may be cut off unanswered.
    rowsOk =
      rows >= result.status2xx && rows <= result.status2xx + Math.min(opts.connections, result.unanswered);
  }
  const record: Round = {
    ...result,
    target,
    phase,
    connections: opts.connections,
    overallRate: opts.overallRate,
    rssMaxKiB: rssMax,
    serverCpuMs: serverCpu,
    pgCpuMs: pgCpu,
    clientCpuMs: (client.user + client.system) / 1000,
    rows,
    rowsOk,
  };
  if (opts.record !== false) rounds.push(record);
  log(
    `${phase.padEnd(10)} ${target} c=${String(opts.connections).padStart(3)}${opts.overallRate ? ` rate=${opts.overallRate}/s` : ''}: ` +
      `${result.rps.toFixed(0).padStart(5)} req/s  p50 ${ms(result.p50)}  p99 ${ms(result.p99)}  non-2xx ${result.non2xx}  errors ${result.errors + result.timeouts}` +
      `  RSS ${(rssMax / 1024).toFixed(0)} MiB` +
      (rows === null ? '' : `  rows ${rows}/${result.status2xx} 2xx${rowsOk ? '' : ' MISMATCH'}`),
  );
  return record;
}

export interface Summary {
  target: TargetName;
  rounds: number;
  rps: number;
  rpsMin: number;
  rpsMax: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  rssMaxMiB: number;
  serverCpuUsPerReq: number;
  pgCpuUsPerReq: number;
  serverCpuPercent: number;
  /** CPUs used by server + Postgres + load generator together (of nproc). */
  coresUsed: number;
  rowsOk: boolean;
  rows: number;
  ok: number;
}

export function summarise(list: Round[], target: TargetName): Summary {
  const mine = list.filter((r) => r.target === target);
  const answered = (r: Round) => r.status2xx + r.non2xx || 1;
  return {
    target,
    rounds: mine.length,
    rps: median(mine.map((r) => r.rps)),
    rpsMin: Math.min(...mine.map((r) => r.rps)),
    rpsMax: Math.max(...mine.map((r) => r.rps)),
    p50: median(mine.map((r) => r.p50)),
    p99: median(mine.map((r) => r.p99)),
    non2xx: mine.reduce((n, r) => n + r.non2xx, 0),
    errors: mine.reduce((n, r) => n + r.errors + r.timeouts, 0),
    rssMaxMiB: Math.max(...mine.map((r) => r.rssMaxKiB)) / 1024,
    serverCpuUsPerReq: median(mine.map((r) => (r.serverCpuMs * 1000) / answered(r))),
    pgCpuUsPerReq: median(mine.map((r) => (r.pgCpuMs * 1000) / answered(r))),
    serverCpuPercent: median(mine.map((r) => r.serverCpuMs / 10 / r.seconds)),
    coresUsed: median(mine.map((r) => (r.serverCpuMs + r.pgCpuMs + r.clientCpuMs) / 1000 / r.seconds)),
    rowsOk: mine.every((r) => r.rowsOk),
    rows: mine.reduce((n, r) => n + (r.rows ?? 0), 0),
    ok: mine.reduce((n, r) => n + r.status2xx, 0),
  };
}
