// bench/RESULTS.md from the rounds: the targets, then the tables (report-tables.ts) and every round.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { API_PATH, args, CFG, JOB_NAME, ms, type TargetName } from './config';
import type { EndToEnd } from './end-to-end';
import { e2eSection, mainTable, roundsTable, sweepTable, table, whereSection } from './report-tables';
import { bench, rounds, summarise, type Summary } from './rounds';
import { machine } from '../testkit/proc-fs';

const root = path.resolve(import.meta.dirname, '..');

function git(argv: string[]): string {
  try {
    return execFileSync('git', argv, { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return '?';
  }
}

export interface ReportInput {
  sums: Record<TargetName, Summary>;
  halfRate: number;
  e2e: EndToEnd;
  idleRss: Record<string, number>;
  loadBefore: string;
  loadAfter: string;
  seconds: number;
  appCommand: string;
}

const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '-');
const mark = (ok: boolean) => (ok ? 'met' : 'NOT met');
const phase = (name: string) => rounds.filter((x) => x.phase === name);

/** B's rate over a floor's in each main round (they ran back to back). */
function perRound(floor: TargetName): string {
  const main = phase('main');
  const b = main.filter((x) => x.target === 'B');
  const f = main.filter((x) => x.target === floor);
  return b.map((x, i) => (f[i] ? (x.rps / f[i].rps).toFixed(2) : '-')).join(', ');
}

function targetRows(r: ReportInput): string[][] {
  const { sums, e2e } = r;
  const { A, Amin, B } = sums;
  const half = { Amin: summarise(phase('half-rate'), 'Amin'), B: summarise(phase('half-rate'), 'B') };
  const rss =
    Math.max(
      ...rounds.filter((x) => x.target === 'B' && !x.phase.startsWith('probe')).map((x) => x.rssMaxKiB),
    ) / 1024;
  const allRowsOk = rounds.every((x) => x.rowsOk);
  const clean = B.non2xx === 0 && B.errors === 0;
  const halfMissed = Math.min(half.Amin.rps, half.B.rps) < r.halfRate * 0.95;
  return [
    [
      `B/Amin at ${CFG.connections} connections ≥ 1.0, 0 errors, p99 no worse than Amin's (issue 13)`,
      `${(B.rps / Amin.rps).toFixed(2)} (B ${f0(B.rps)} / Amin ${f0(Amin.rps)} req/s; round by round ${perRound('Amin')}); B non-2xx ${B.non2xx}, errors ${B.errors}; p99 B ${ms(B.p99)} vs Amin ${ms(Amin.p99)}`,
      mark(B.rps >= Amin.rps && clean && B.p99 <= Amin.p99),
    ],
    [
      `B/A at ${CFG.connections} connections ≥ 0.5, no errors (issue 6)`,
      `${(B.rps / A.rps).toFixed(2)} (B ${f0(B.rps)} / A ${f0(A.rps)} req/s)`,
      mark(B.rps / A.rps >= 0.5 && clean),
    ],
    [
      `p99 at half of B's rate (${r.halfRate}/s) within 5 ms of Amin's`,
      `B ${ms(half.B.p99)} vs Amin ${ms(half.Amin.p99)}` +
        (halfMissed
          ? `; **the rate was not reached** (Amin ${f0(half.Amin.rps)}/s, B ${f0(half.B.rps)}/s)`
          : ''),
      halfMissed ? 'not measured' : mark(half.B.p99 - half.Amin.p99 <= 5),
    ],
    [
      'web process RSS under load ≤ 250 MiB (issue 13; issue 6 asked ≤ 300)',
      `${rss.toFixed(0)} MiB (idle ${(r.idleRss.B / 1024).toFixed(0)} MiB)`,
      mark(rss <= 250),
    ],
    [
      'POST → run started ≤ 20 ms at p50',
      `${ms(e2e.seq.postToStartedP50)} (queuedAt → startedAt ${ms(e2e.seq.queuedToStartedP50)})`,
      mark(e2e.seq.postToStartedP50 <= 20),
    ],
    ['runs written = 2xx answers, every round', allRowsOk ? 'yes' : 'NO: see the rounds', mark(allRowsOk)],
  ];
}

function halfTable(r: ReportInput): string {
  const half = phase('half-rate');
  return table(
    ['target', 'rate', 'achieved req/s', 'p50', 'p99', 'non-2xx'],
    (['A', 'Amin', 'B'] as const).map((t) => {
      const s = summarise(half, t);
      return [t, `${r.halfRate}/s`, f0(s.rps), ms(s.p50), ms(s.p99), String(s.non2xx)];
    }),
  );
}

/** Writes bench/RESULTS.md; returns the console summary. */
export function writeReport(r: ReportInput): string {
  const { sums } = r;
  const m = machine();
  const { buildId, builtAt } = bench.targets.build;
  const dirty = git(['status', '--porcelain', '--', 'app', 'server', 'lib', 'scripts', 'worker', 'prisma'])
    .split('\n')
    .filter(Boolean).length;
  const busy = Number(r.loadBefore.match(/load average: (\d+(\.\d+)?)/)?.[1] ?? 0) > m.nproc;
  const targets = table(['target', 'measured', ''], targetRows(r));
  const main = mainTable(sums);
  const ratios = `B/Amin = ${(sums.B.rps / sums.Amin.rps).toFixed(2)}, B/A = ${(sums.B.rps / sums.A.rps).toFixed(2)}`;
  const cores = (['A', 'Amin', 'B'] as const).map((t) => `${t} ${sums[t].coresUsed.toFixed(2)}`).join(', ');
  const notesFile = path.join(root, 'bench', 'CHANGES.md');
  const notes = existsSync(notesFile) ? readFileSync(notesFile, 'utf8').trim() : '';
  const sweep = sweepTable();
  const where = whereSection(r.appCommand, sums);
  const e2e = e2eSection(r.e2e);

  const md = `# Benchmark results: \`npm run bench${args.quick ? ' -- --quick' : ''}\`

Taken ${new Date().toISOString()} in ${r.seconds.toFixed(0)} s (not counting any wait for a build), mode **${CFG.mode}**.

Machine: ${m.nproc} CPUs (\`nproc\`), ${m.cpuModel}, ${m.memory} memory, Node ${m.node}, Linux ${m.kernel}.
Load before: \`${r.loadBefore}\`
Load after: \`${r.loadAfter}\`
${busy ? `\n**The machine was busy** (load average above its ${m.nproc} CPUs: other builds and tests were running), so absolute figures are low and noisy; the targets alternate round by round, so the ratios suffer less than the absolutes.\n` : ''}
Build: \`.next/BUILD_ID\` ${buildId}, built ${builtAt}, run from a private copy of \`.next\`; git HEAD ${git(['rev-parse', '--short', 'HEAD'])}${dirty ? ` with ${dirty} uncommitted change(s) in app code (the build holds whatever was in the tree when it was made)` : ''}.

## Setup

- A fresh embedded Postgres in a temporary DATA_DIR; the app (B) started by the launcher (\`scripts/start.ts\`, i.e. \`npm start\`) with **\`START_WORKER=false\` during the throughput rounds**, so no worker competes for the CPUs (runs stay queued; the end-to-end part starts a worker).
- Key made by \`npm run admin -- key create ... --rate-limit 0\`; job \`${JOB_NAME}\`: \`{"type":"command","config":{"command":"true"},"concurrency":"parallel"}\`.
- The floors (\`bench/floor.ts\`): \`node:http\` + \`jose\` + \`pg\`, pool of 10 like the app; per request each reads the body, verifies the token (HS256, secret by kid), **loads the key row by id** (no cache) and compares the SHA-256 digest (\`timingSafeEqual\`), loads the job by name and answers 202: three statements a start, each its own autocommit transaction.
  - **A** (\`FLOOR=full\`) starts the run with the app's SQL function \`etl_start_runs\` for one start: run row, queue entry and audit event in one transaction.
  - **Amin** (\`FLOOR=minimal\`, issue 13's floor) inserts the run row only: no queue entry, no audit event.
- B, the product: \`POST ${API_PATH}\` with \`x-api-key\`, body \`{"id":"${JOB_NAME}","jobid":"<round>"}\`.
- autocannon ${CFG.connections} connections, ${CFG.warmupSeconds} s warm-up each, then A, Amin, B, A, Amin, B, ... ${CFG.rounds} rounds each of ${CFG.roundSeconds} s. autocannon runs in the harness process on the same CPUs as the servers and Postgres. Latency percentiles are computed from every 2xx response time (unrounded); RSS is the max of VmRSS of the serving process sampled every 200 ms. Runs written are counted by the round's \`jobid\` (stored as externalRef): every 2xx has its row, and the only extra rows are of requests cut off unanswered when the round stopped (at most one per connection).

## Targets

${targets}
${notes ? `\n${notes}\n` : ''}
## Throughput at ${CFG.connections} connections: **${ratios}**

${main}

CPU per request = the process's user+system CPU during the round / answers; Postgres = all its processes. Server CPU is the share of one CPU the server got. Server, Postgres and autocannon together used (CPUs, of ${m.nproc}): ${cores}.
${sweep ? `\n## Sweep (median of the rounds at each connection count)\n\n${sweep}\n` : ''}
## p99 at half of B's rate

All at a steady ${r.halfRate} req/s (one request every ${(1000 / r.halfRate).toFixed(1)} ms, open loop, latency counted from each request's due time), over at most ${CFG.connections} keep-alive connections, ${CFG.halfRateSeconds} s × ${CFG.halfRateRounds}; nothing is cut off at the end, so rows must equal 2xx exactly.

${halfTable(r)}

## Where B spends its time

${where}

## End to end (worker running, concurrency ${r.e2e.workerConcurrency})

${e2e}

## The worker and the data at scale

\`npm run bench -- --worker\` (bench/worker.ts): the worker against a bare graphile-worker floor, in [WORKER-RESULTS.md](WORKER-RESULTS.md).

## Every round

${roundsTable()}
`;
  writeFileSync(path.join(root, 'bench', 'RESULTS.md'), md);
  return [
    `mode ${CFG.mode} · ${m.nproc} CPUs · ${r.loadBefore.replace(/^.*load average/, 'load average')}`,
    '',
    main,
    '',
    ratios,
    '',
    targets,
  ].join('\n');
}
