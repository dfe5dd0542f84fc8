import { logger } from '../server/observability/logger';
import { recordRuns, type LogLine, type RunEnd } from '../server/runs/record-runs';
import { mark } from './trace';

/** Lines wait at most this long before they are written (a run's end is written at once). */
export const FLUSH_MS = 100;
/** Lines per statement: a chatty run's output goes in several. */
export const MAX_BATCH_LINES = 2000;

interface PendingEnd extends RunEnd {
  resolve(written: boolean): void;
  reject(error: Error): void;
}

/**
 * What a worker writes about its runs, batched across all of them: log lines, and each run's end
 * together with its last lines, in one statement (server/runs/record-runs.ts). Lines are written within
 * FLUSH_MS; an end goes out at once, with whatever else is waiting. One write is in flight at a time
 * and the next takes everything that arrived meanwhile (group commit), so lines keep their order and a
 * burst of runs ending together costs one round trip, not one each.
 */
export class RunRecorder {
  private lines: LogLine[] = [];
  private ends = new Map<string, PendingEnd>();
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | null = null;
  private idle: (() => void)[] = [];

  constructor(private readonly write: typeof recordRuns = recordRuns) {}

  line(line: LogLine): void {
    this.lines.push(line);
    if (this.lines.length >= MAX_BATCH_LINES) this.kick();
    else this.timer ??= setTimeout(() => this.kick(), FLUSH_MS);
  }

  /** Writes the run's buffered lines and its end; resolves to whether the end was written (still ours). */
  end(end: RunEnd): Promise<boolean> {
    mark(end.runId, 'endQueued');
    return new Promise((resolve, reject) => {
      this.ends.set(end.runId, { ...end, resolve, reject });
      this.kick();
    });
  }

  /** Resolves once everything buffered so far is written (or given up). */
  flush(): Promise<void> {
    if (!this.writing && this.lines.length === 0 && this.ends.size === 0) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.idle.push(resolve));
    this.kick();
    return done;
  }

  private kick(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    // setImmediate: ends and lines of the same turn of the event loop share the statement.
    this.writing ??= new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.drain())
      .finally(() => {
        this.writing = null;
        if (this.lines.length || this.ends.size) this.kick();
        else for (const resolve of this.idle.splice(0)) resolve();
      });
  }

  private async drain(): Promise<void> {
    while (this.lines.length || this.ends.size) {
      const lines = this.lines.splice(0, MAX_BATCH_LINES);
      // A run's end goes with its last lines: not while some of them wait for the next statement.
      const later = new Set(this.lines.map((l) => l.runId));
      const ends = [...this.ends.values()].filter((e) => !later.has(e.runId));
      for (const e of ends) this.ends.delete(e.runId);
      for (const e of ends) mark(e.runId, 'endWrite');
      try {
        const written = await this.write(lines, ends);
        for (const e of ends) mark(e.runId, 'endCommitted');
        settle(ends, written);
      } catch {
        await this.oneByOne(lines, ends); // one run's bad row must not cost the others theirs
      }
    }
  }

  private async oneByOne(lines: LogLine[], ends: PendingEnd[]): Promise<void> {
    const runIds = new Set([...lines.map((l) => l.runId), ...ends.map((e) => e.runId)]);
    for (const runId of runIds) {
      const own = lines.filter((l) => l.runId === runId);
      const end = ends.filter((e) => e.runId === runId);
      try {
        settle(end, await this.write(own, end));
      } catch (error) {
        if (own.length)
          logger().warn({ runId, err: error }, `run ${runId}: could not write ${own.length} log lines`);
        for (const e of end) e.reject(error as Error);
      }
    }
  }
}

function settle(ends: PendingEnd[], written: Set<string>): void {
  for (const e of ends) e.resolve(written.has(e.runId));
}
