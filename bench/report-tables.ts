// The tables of bench/RESULTS.md.
import { CFG, JOB_NAME, ms, type TargetName } from './config';
import type { EndToEnd } from './end-to-end';
import { rounds, summarise, type Summary } from './rounds';

const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '-');

export function table(head: string[], body: string[][]): string {
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...body.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

const LABEL: Record<TargetName, string> = { A: 'A floor', Amin: 'Amin minimal floor', B: 'B app' };

export function mainTable(sums: Record<TargetName, Summary>): string {
  const row = (s: Summary) => [
    LABEL[s.target],
    `${f0(s.rps)} (${f0(s.rpsMin)}–${f0(s.rpsMax)})`,
    ms(s.p50),
    ms(s.p99),
    String(s.non2xx),
    String(s.errors),
    `${s.rssMaxMiB.toFixed(0)} MiB`,
    `${f0(s.serverCpuUsPerReq)} µs`,
    `${f0(s.pgCpuUsPerReq)} µs`,
    `${f0(s.serverCpuPercent)}%`,
    s.rowsOk
      ? `yes: ${s.rows} rows, ${s.ok} 2xx + ${s.rows - s.ok} cut off at round ends`
      : `NO: ${s.rows} rows, ${s.ok} 2xx`,
  ];
  const head = ['target', 'req/s median (min–max)', 'p50', 'p99', 'non-2xx', 'errors', 'RSS max'];
  head.push('server CPU/req', 'Postgres CPU/req', 'server CPU', 'runs = 2xx');
  return table(head, [row(sums.A), row(sums.Amin), row(sums.B)]);
}

export function sweepTable(): string {
  if (!CFG.sweep.length) return '';
  const list = rounds.filter((x) => x.phase === 'sweep' || x.phase === 'main');
  const conns = [...new Set(list.map((x) => x.connections))].sort((a, b) => a - b);
  return table(
    ['connections', 'A req/s', 'Amin req/s', 'B req/s', 'B/Amin', 'B/A', 'Amin p99', 'B p99', 'B RSS max'],
    conns.map((n) => {
      const at = list.filter((x) => x.connections === n);
      const [a, amin, b] = (['A', 'Amin', 'B'] as const).map((t) => summarise(at, t));
      return [
        String(n),
        f0(a.rps),
        f0(amin.rps),
        f0(b.rps),
        (b.rps / amin.rps).toFixed(2),
        (b.rps / a.rps).toFixed(2),
        ms(amin.p99),
        ms(b.p99),
        `${b.rssMaxMiB.toFixed(0)} MiB`,
      ];
    }),
  );
}

export function whereSection(appCommand: string, sums: Record<TargetName, Summary>): string {
  const oneConn = rounds.filter((x) => x.connections === 1 && !x.overallRate && !x.phase.startsWith('probe'));
  const probe = (name: string, t: TargetName) =>
    summarise(
      rounds.filter((x) => x.phase === name),
      t,
    );
  const rows = (['A', 'Amin', 'B'] as const).map((t) => {
    const one = summarise(oneConn, t);
    const p401 = t === 'A' ? null : probe('probe-401', t);
    const p405 = t === 'A' ? null : probe('probe-405', t);
    return [
      t,
      ms(one.p50),
      `${f0(one.serverCpuUsPerReq)} µs`,
      `${f0(one.pgCpuUsPerReq)} µs`,
      p401 ? ms(p401.p50) : '-',
      p401 ? `${f0(p401.serverCpuUsPerReq)} µs` : '-',
      p405 ? ms(p405.p50) : '-',
      p405 ? `${f0(p405.serverCpuUsPerReq)} µs` : '-',
    ];
  });
  const head = ['at 1 connection', 'start p50', 'server CPU/start', 'Postgres CPU/start'];
  head.push('401 (no key) p50', 'server CPU/401', '405 (GET) p50', 'server CPU/405');
  return [
    `Serving process of B: \`${appCommand}\`. A POST without a key is refused (401) before any crypto or database work: its CPU is the handling around the handler; a GET goes through Next.js's own routing in B.`,
    '',
    table(head, rows),
    '',
    `At ${CFG.connections} connections, server CPU per start: A ${f0(sums.A.serverCpuUsPerReq)} µs, Amin ${f0(sums.Amin.serverCpuUsPerReq)} µs, B ${f0(sums.B.serverCpuUsPerReq)} µs; Postgres CPU per start: A ${f0(sums.A.pgCpuUsPerReq)} µs, Amin ${f0(sums.Amin.pgCpuUsPerReq)} µs, B ${f0(sums.B.pgCpuUsPerReq)} µs (the floors make three statements a start; B one batched statement for many starts, its key and job cached). With servers, Postgres and the load generator sharing the CPUs, CPU per start is what bounds the rate.`,
  ].join('\n');
}

export function e2eSection(e2e: EndToEnd): string {
  const seq = table(
    ['measure', 'p50', 'p99'],
    [
      [
        'POST → run startedAt (client clock → row)',
        ms(e2e.seq.postToStartedP50),
        ms(e2e.seq.postToStartedP99),
      ],
      [
        'queuedAt → startedAt (both in the row)',
        ms(e2e.seq.queuedToStartedP50),
        ms(e2e.seq.queuedToStartedP99),
      ],
      ['POST answered (client)', ms(e2e.seq.postP50), ms(e2e.seq.postP99)],
    ],
  );
  const b = e2e.burst;
  const head = `Burst of ${b.count} starts of \`${JOB_NAME}\` (command \`true\`) at 32 connections with the worker running: ${b.accepted} accepted in ${b.postSeconds.toFixed(1)} s (${f0(b.postRps)} req/s)`;
  const burst = b.unfinished
    ? `${head}; **${b.unfinished} still unfinished** when the harness stopped waiting after ${b.wallSeconds.toFixed(0)} s: ${b.succeeded + b.failed} finished, **${b.runsPerSecond.toFixed(0)} runs/s** (${b.succeeded} succeeded, ${b.failed} failed).`
    : `${head}; from the first run queued to the last finished ${b.drainSeconds.toFixed(1)} s, **${b.runsPerSecond.toFixed(0)} runs/s** (${b.succeeded} succeeded, ${b.failed} failed); a run took p50 ${ms(b.runMsP50)} from startedAt to finishedAt, with ${e2e.workerConcurrency} at a time.`;
  return [
    `${e2e.seq.count} starts one at a time (each POST after the previous run started, plus ${e2e.seq.gapMs} ms; ${e2e.seq.non202} not 202, ${e2e.seq.notStarted} not started):`,
    '',
    seq,
    '',
    burst,
    '',
    `Postgres TimeZone: ${e2e.dbTimeZone} (\`queuedAt\` is CURRENT_TIMESTAMP, \`startedAt\` is now() at time zone 'utc'; they agree only in UTC).`,
  ].join('\n');
}

export function roundsTable(): string {
  const head = ['phase', 'target', 'conns', 'rate', 'req/s', 'p50', 'p99', 'non-2xx', 'errors', 'RSS max'];
  head.push('rows / 2xx / rows of cut-off requests');
  return table(
    head,
    rounds.map((x) => [
      x.phase,
      x.target,
      String(x.connections),
      x.overallRate ? `${x.overallRate}/s` : '-',
      f0(x.rps),
      ms(x.p50),
      ms(x.p99),
      String(x.non2xx),
      String(x.errors + x.timeouts),
      `${(x.rssMaxKiB / 1024).toFixed(0)} MiB`,
      x.rows === null
        ? '-'
        : `${x.rows} / ${x.status2xx} / ${x.rows - x.status2xx}${x.rowsOk ? '' : ' MISMATCH'}`,
    ]),
  );
}
