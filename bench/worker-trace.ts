// The hand-overs of one run in the worker, from the marks worker/trace.ts writes (WORKER_TRACE_FILE):
// the p50 of each segment, so the bench shows where the overhead goes.
import { existsSync, readFileSync } from 'node:fs';

/** Consecutive marks of a run, in the order they happen; a segment is the time from one to the next. */
const SEGMENTS: [from: string, to: string, what: string][] = [
  ['fetched', 'claim', 'queue: fetched (locked) → slot takes it'],
  ['claim', 'claimed', 'claim statement (round trip)'],
  ['claimed', 'prepare', 'claimed → executor starts'],
  ['prepare', 'request', 'prepare launch (work folder, lookups)'],
  ['request', 'received', 'IPC request → spawner'],
  ['received', 'spawned', 'spawn() in the spawner'],
  ['spawned', 'exited', 'process runs (exec → exit)'],
  ['exited', 'closed', 'exit → pipes closed'],
  ['closed', 'closeSeen', 'IPC close → worker'],
  ['closeSeen', 'endQueued', 'worker: result → end queued'],
  ['endQueued', 'endWrite', 'end waits for its batch'],
  ['endWrite', 'endCommitted', 'end statement (round trip)'],
  ['endCommitted', 'done', 'committed → slot free'],
  ['claim', 'endCommitted', 'total: claim sent → end committed'],
];

export interface Segment {
  what: string;
  p50: number;
  p90: number;
  n: number;
}

const percentile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((q / 100) * sorted.length) - 1))];

export function traceSegments(file: string): Segment[] {
  if (!existsSync(file)) return [];
  const runs = Object.values(
    JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, number>>,
  );
  return SEGMENTS.map(([from, to, what]) => {
    const values = runs
      .filter((m) => m[from] !== undefined && m[to] !== undefined)
      .map((m) => m[to] - m[from])
      .sort((a, b) => a - b);
    return { what, p50: percentile(values, 50) ?? NaN, p90: percentile(values, 90) ?? NaN, n: values.length };
  });
}

/** A table with one column per phase. */
export function segmentTable(phases: { name: string; segments: Segment[] }[]): string {
  const traced = phases.filter((p) => p.segments.length);
  if (!traced.length) return '';
  const head = `| segment (p50 / p90, ms) | ${traced.map((p) => p.name).join(' | ')} |\n| --- |${traced.map(() => ' --- |').join('')}`;
  const rows = SEGMENTS.map(
    ([, , what], i) =>
      `| ${what} | ${traced.map((p) => `${p.segments[i].p50.toFixed(2)} / ${p.segments[i].p90.toFixed(2)}`).join(' | ')} |`,
  );
  return `${head}\n${rows.join('\n')}`;
}
