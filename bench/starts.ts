// The start bench (`npm run bench [-- --quick]`): the three targets in alternating rounds, then end to
// end with a worker; prints the figures and writes bench/RESULTS.md.
import pg from 'pg';
import { CFG, FLOORS, log, TARGETS } from './config';
import { endToEnd } from './end-to-end';
import { state } from './lifecycle';
import { writeReport } from './report';
import { bench, round, rounds, serverPid, summarise } from './rounds';
import { snapshotBuild, startTargets } from './targets';
import { commandLine, rssKiB, uptime } from '../testkit/proc-fs';
import { stopProc } from '../testkit/processes';

export async function benchStarts(): Promise<void> {
  const loadBefore = uptime();
  log(`mode ${CFG.mode}; ${loadBefore}`);
  const { appRoot, ...build } = await snapshotBuild();
  log(`build ${build.buildId} (${build.builtAt}) copied to ${appRoot}/.next`);
  // Timed from here: waiting for someone else's build does not count.
  const started = Date.now();
  const watchdog = setTimeout(() => {
    console.error(`[bench] still running after ${CFG.watchdogSeconds}s: giving up`);
    process.kill(process.pid, 'SIGTERM');
  }, CFG.watchdogSeconds * 1000).unref();
  bench.targets = await startTargets(appRoot, build);
  state.db = new pg.Client({ connectionString: bench.targets.databaseUrl });
  state.db.on('error', () => {});
  await state.db.connect();
  const idleRss = Object.fromEntries(TARGETS.map((t) => [t, rssKiB(serverPid(t)) ?? 0]));
  const appCommand = commandLine(serverPid('B')).replace(/^\S*\/node\b/, 'node');
  log(`B is served by pid ${serverPid('B')}: ${appCommand}`);
  log(`ready after ${((Date.now() - started) / 1000).toFixed(0)}s`);

  const c = CFG.connections;
  for (const t of TARGETS)
    await round(t, 'warmup', { connections: c, seconds: CFG.warmupSeconds, record: false });
  for (let i = 0; i < CFG.rounds; i++)
    for (const t of TARGETS) await round(t, 'main', { connections: c, seconds: CFG.roundSeconds });
  const main32 = rounds.filter((r) => r.phase === 'main');
  const sums = { A: summarise(main32, 'A'), Amin: summarise(main32, 'Amin'), B: summarise(main32, 'B') };

  for (const conns of CFG.sweep)
    for (let i = 0; i < CFG.sweepRounds; i++)
      for (const t of TARGETS) await round(t, 'sweep', { connections: conns, seconds: CFG.sweepSeconds });

  const halfRate = Math.max(1, Math.round(sums.B.rps / 2));
  for (let i = 0; i < CFG.halfRateRounds; i++)
    for (const t of TARGETS)
      await round(t, 'half-rate', { connections: c, seconds: CFG.halfRateSeconds, overallRate: halfRate });

  // Where B's time goes, at one connection (no queueing): a start; a POST without a key (answered 401
  // before any crypto or database work); a GET (405, through Next.js's own request handling).
  if (CFG.oneConnSeconds)
    for (const t of TARGETS) await round(t, 'one-conn', { connections: 1, seconds: CFG.oneConnSeconds });
  for (const t of ['Amin', 'B'] as const)
    await round(t, 'probe-401', { connections: 1, seconds: CFG.probeSeconds, probe: 'no-key' });
  for (const t of ['Amin', 'B'] as const)
    await round(t, 'probe-405', { connections: 1, seconds: CFG.probeSeconds, probe: 'get' });

  for (const t of FLOORS) await stopProc(bench.targets.floors[t as 'A' | 'Amin']);
  const e2e = await endToEnd();
  const loadAfter = uptime();
  const seconds = (Date.now() - started) / 1000;
  clearTimeout(watchdog);

  const report = writeReport({ sums, halfRate, e2e, idleRss, loadBefore, loadAfter, seconds, appCommand });
  console.log(`\n${report}`);
  log(`wrote bench/RESULTS.md; ${seconds.toFixed(0)}s in all`);
}
