import { db } from '../server/db';
import { logger } from '../server/observability/logger';
import type { LogStream } from './executors/types';

const FLUSH_MS = 250;
const FLUSH_LINES = 200;
/** Rows per insert, well under Postgres' 65,535 bind parameters. */
const MAX_BATCH = 1000;
const MAX_LINES = 10_000;
const MAX_BYTES = 5 * 1024 * 1024;
const MAX_LINE_BYTES = 8 * 1024;
const CUT_MARK = ' [line cut]';

interface Line {
  seq: number;
  stream: LogStream;
  text: string;
  at: Date;
}

function clean(text: string): string {
  const noNul = text.includes('\u0000') ? text.replaceAll('\u0000', '') : text; // Postgres text refuses NUL
  if (Buffer.byteLength(noNul) <= MAX_LINE_BYTES) return noNul;
  const head = Buffer.from(noNul)
    .subarray(0, MAX_LINE_BYTES - CUT_MARK.length)
    .toString('utf8');
  return head.replace(/\uFFFD$/, '') + CUT_MARK; // a character split by the cut decodes as U+FFFD
}

/**
 * One multi-row insert from arrays. Prisma's createMany would do the same, but measured on this machine
 * it took about 0.7 s per 200 rows against tens of ms for this statement: a chatty program's log fell behind.
 * `on conflict do nothing`: a worker wrongly thought lost must not fail on the seq of the run's new attempt.
 * Timestamps go in as UTC wall time, as Prisma writes them.
 */
function insertLines(runId: string, lines: Line[]): Promise<number> {
  return db.$executeRawUnsafe(
    `insert into "RunLog" ("runId", seq, stream, text, at)
     select $1::uuid, seq, stream::"LogStream", text, at
     from unnest($2::int[], $3::text[], $4::text[], $5::timestamp[]) as line(seq, stream, text, at)
     on conflict do nothing`,
    runId,
    lines.map((l) => l.seq),
    lines.map((l) => l.stream),
    lines.map((l) => l.text),
    lines.map((l) => l.at.toISOString()),
  );
}

/**
 * A run's log as the worker writes it: lines are numbered at once (so stdout and stderr keep their
 * order) and written in batches, one multi-row insert every 250 ms or 200 lines. The program's output
 * is capped per run; the worker's own `system` lines always get through.
 */
export class RunLog {
  private buffer: Line[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout;
  private truncated = false;
  private flushQueued = false;

  private constructor(
    private readonly runId: string,
    private nextSeq: number,
    private lines: number,
    private bytes: number,
  ) {
    this.timer = setInterval(() => void this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  /** Continues after the lines an earlier attempt (or the sweeper) already wrote; the cap counts them too. */
  static async open(runId: string): Promise<RunLog> {
    const [row] = await db.$queryRawUnsafe<{ seq: number; lines: number; bytes: number }[]>(
      `select coalesce(max(seq), 0)::int as seq, count(*)::int as lines, coalesce(sum(octet_length(text)), 0)::int as bytes
       from "RunLog" where "runId" = $1::uuid`,
      runId,
    );
    return new RunLog(runId, row.seq + 1, row.lines, row.bytes);
  }

  write(stream: LogStream, raw: string): void {
    const text = clean(raw);
    if (stream !== 'system') {
      if (this.truncated) return;
      const size = Buffer.byteLength(text);
      if (this.lines + 1 > MAX_LINES || this.bytes + size > MAX_BYTES) {
        this.truncated = true;
        this.push(
          'system',
          `[log truncated: over ${MAX_LINES} lines or ${MAX_BYTES / 1024 / 1024} MiB; the rest of the output is dropped]`,
        );
        return;
      }
      this.lines += 1;
      this.bytes += size;
    }
    this.push(stream, text);
  }

  private push(stream: LogStream, text: string): void {
    this.buffer.push({ seq: this.nextSeq++, stream, text, at: new Date() });
    if (this.buffer.length >= FLUSH_LINES) void this.flush();
  }

  /**
   * Writes what is buffered; writes go out one after another, in seq order. A write takes every line
   * buffered by the time it starts, so a chatty program means fewer, larger inserts.
   */
  flush(): Promise<void> {
    if (this.buffer.length === 0 || this.flushQueued) return this.flushing;
    this.flushQueued = true;
    this.flushing = this.flushing.then(async () => {
      this.flushQueued = false;
      while (this.buffer.length > 0) {
        const batch = this.buffer.splice(0, MAX_BATCH);
        try {
          await insertLines(this.runId, batch);
        } catch (error) {
          logger().warn(
            { runId: this.runId, err: error },
            `run ${this.runId}: could not write ${batch.length} log lines`,
          );
        }
      }
    });
    return this.flushing;
  }

  /** Final flush; call before recording the run's end, so a finished run's log is complete. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
