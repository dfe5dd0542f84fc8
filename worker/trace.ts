import { writeFileSync } from 'node:fs';

// Bench-only timing of one run's hand-overs (npm run bench -- --worker sets WORKER_TRACE_FILE). Off, each
// mark is one comparison. On, each run's marks (wall-clock ms, comparable with the spawner's) are
// written as JSON when the process exits.

const file = process.env.WORKER_TRACE_FILE;
const marks = new Map<string, Record<string, number>>();

export const tracing = Boolean(file);

/** Wall-clock ms with sub-ms precision (performance.now() from the process's time origin). */
export const wallMs = () => performance.timeOrigin + performance.now();

export function mark(runId: string, name: string, at = wallMs()): void {
  if (!file) return;
  let run = marks.get(runId);
  if (!run) marks.set(runId, (run = {}));
  run[name] = at;
}

if (file) process.on('exit', () => writeFileSync(file, JSON.stringify(Object.fromEntries(marks))));
