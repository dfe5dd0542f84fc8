// The report of the scale bench (bench/seed-scale.ts): bench/SCALE-RESULTS.md.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LoadResult } from './load';
import { machine } from '../../testkit/proc-fs';
import type { ScaleCounts, SeededOrg } from '../../testkit/seed-scale';

export interface Timing {
  group: string;
  name: string;
  p50: number;
  p95: number;
  n: number;
  target: number;
}

interface Pruned {
  runs: number;
  logLines: number;
  auditEvents: number;
  idempotencyRecords: number;
}

function host(): string {
  const m = machine();
  return `${m.nproc} × ${m.cpuModel}, ${m.memory}, Node ${m.node}`;
}

export function writeScaleReport(
  root: string,
  r: {
    scale: number;
    counts: ScaleCounts;
    seeded: SeededOrg;
    seedSeconds: number;
    timings: Timing[];
    rounds: {
      prune: boolean;
      load: LoadResult;
      pruned?: Pruned;
    }[];
    runDays: number;
    auditDays: number;
    lagMax: number;
    loadBefore: string;
  },
) {
  const f1 = (n: number) => n.toFixed(1);
  const met = r.timings.filter((t) => t.p95 <= t.target).length;
  const avg = (prune: boolean) => {
    const list = r.rounds.filter((x) => x.prune === prune).map((x) => x.load);
    const mean = (k: 'rps' | 'p50' | 'p99') => list.reduce((s, l) => s + l[k], 0) / list.length;
    return {
      rps: mean('rps'),
      p50: mean('p50'),
      p99: mean('p99'),
      errors: list.reduce((s, l) => s + l.non2xx + l.errors, 0),
    };
  };
  const off = avg(false);
  const on = avg(true);
  const pruned = r.rounds.filter((x) => x.pruned).map((x) => x.pruned!);
  const sum = (k: 'runs' | 'logLines' | 'auditEvents' | 'idempotencyRecords') =>
    pruned.reduce((s, p) => s + p[k], 0);
  const md = `# Scale of data: lists at a million runs, retention during starts

\`npm run bench -- --seed-scale${r.scale === 1 ? '' : `=${r.scale}`}\` on ${host()}, ${new Date().toISOString().slice(0, 16)} UTC; load before: ${r.loadBefore}.
The machine is shared by other sessions' builds and tests: figures are upper bounds of a quiet machine's.

## Seeding (scale ${r.scale})

${r.counts.runs.toLocaleString('en')} runs, ${r.counts.logLines.toLocaleString('en')} log lines (one run has ${r.counts.longRunLines.toLocaleString('en')}), ${r.counts.keys.toLocaleString('en')} keys, ${r.counts.auditEvents.toLocaleString('en')} audit events in one organisation, in **${r.seedSeconds.toFixed(0)} s** (testkit/seed-scale.ts: generate_series, secondary indexes dropped and re-created from their own definitions, VACUUM ANALYZE):

| step | seconds |
| --- | ---: |
${r.seeded.timings.map((t) => `| ${t.step} | ${(t.ms / 1000).toFixed(1)} |`).join('\n')}

## Lists: ${met} of ${r.timings.length} within target (p95)

Page rows: the page's own queries (lib/cursor.ts keyset cursors, through the app's Prisma client and pool, in the bench's process: the server's data work for the page, without React's rendering). The job API rows: whole requests to the running app. ${20} timed calls each after 5 warm-ups (40 for the live follow).

| list | case | p50 ms | p95 ms | target p95 | met |
| --- | --- | ---: | ---: | ---: | --- |
${r.timings.map((t) => `| ${t.group} | ${t.name} | ${f1(t.p50)} | ${f1(t.p95)} | ${t.target} | ${t.p95 <= t.target ? 'yes' : '**no**'} |`).join('\n')}

Following live, the reader was at most ${r.lagMax} lines behind the writer (20 lines every 100 ms).

## Start throughput during a retention prune

\`POST /etl-mgr/api/apijob\` at 32 connections, 10 s rounds against the seeded organisation (its run table at ${r.counts.runs.toLocaleString('en')} rows with every list index), alternating: no prune, then a prune pass (RUN_RETENTION_DAYS=${r.runDays}, AUDIT_RETENTION_DAYS=${r.auditDays}; 1,000-row transactions, 50 ms pauses, a 10 s budget) running beside the load, in the bench's process.

| | starts/s | p50 ms | p99 ms | errors |
| --- | ---: | ---: | ---: | ---: |
| no prune | ${off.rps.toFixed(0)} | ${f1(off.p50)} | ${f1(off.p99)} | ${off.errors} |
| during a prune | ${on.rps.toFixed(0)} | ${f1(on.p50)} | ${f1(on.p99)} | ${on.errors} |

The prunes deleted ${sum('runs').toLocaleString('en')} runs, ${sum('logLines').toLocaleString('en')} log lines, ${sum('auditEvents').toLocaleString('en')} audit events and ${sum('idempotencyRecords').toLocaleString('en')} idempotency records in ${pruned.length} × 10 s.

Per round:

| round | starts/s | p50 ms | p99 ms | errors |
| --- | ---: | ---: | ---: | ---: |
${r.rounds.map((x, i) => `| ${i + 1} ${x.prune ? 'prune' : 'no prune'} | ${x.load.rps.toFixed(0)} | ${f1(x.load.p50)} | ${f1(x.load.p99)} | ${x.load.non2xx + x.load.errors} |`).join('\n')}
`;
  writeFileSync(path.join(root, 'bench', 'SCALE-RESULTS.md'), md);
}
