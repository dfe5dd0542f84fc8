import type { LogStream, RunOutcome } from '../server/runs/record-runs';
import { SecretMasker } from './connections-mask';
import type { RunRecorder } from './run-recorder';

const MAX_LINES = 10_000;
const MAX_BYTES = 5 * 1024 * 1024;
const MAX_LINE_BYTES = 8 * 1024;
const CUT_MARK = ' [line cut]';

function clean(text: string): string {
  const noNul = text.includes('\u0000') ? text.replaceAll('\u0000', '') : text; // Postgres text refuses NUL
  if (Buffer.byteLength(noNul) <= MAX_LINE_BYTES) return noNul;
  const head = Buffer.from(noNul)
    .subarray(0, MAX_LINE_BYTES - CUT_MARK.length)
    .toString('utf8');
  return head.replace(/\uFFFD$/, '') + CUT_MARK; // a character split by the cut decodes as U+FFFD
}

/**
 * A run's log as the worker writes it: lines are numbered at once (so stdout and stderr keep their
 * order) and written in batches by the worker's RunRecorder, with other runs' lines, within 100 ms; the
 * last ones go in the statement that records the run's end. The program's output is capped per run;
 * the worker's own `system` lines always get through.
 */
export class RunLog {
  private truncated = false;
  private nextSeq: number;
  private lines: number;
  private bytes: number;
  private masker: SecretMasker | null = null;

  /** Continues after the lines an earlier attempt (or the sweeper) already wrote; the cap counts them too. */
  constructor(
    private readonly recorder: RunRecorder,
    private readonly runId: string,
    start: { lastSeq: number; lines: number; bytes: number },
  ) {
    this.nextSeq = start.lastSeq + 1;
    this.lines = start.lines;
    this.bytes = start.bytes;
  }

  /** The secrets this run received (worker/connections.ts): from now on they are stored as ***. */
  maskSecrets(values: string[]): void {
    const masker = new SecretMasker(values);
    this.masker = masker.empty ? null : masker;
  }

  write(stream: LogStream, raw: string): void {
    // Masked before the cut, so a secret is not left half-shown at the cut.
    const text = clean(this.masker ? this.masker.mask(raw) : raw);
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
    this.recorder.line({ runId: this.runId, seq: this.nextSeq++, stream, text, at: new Date() });
  }

  /** Records the run's end with its last lines; whether it was written (false: no longer ours). */
  end(workerId: string, outcome: RunOutcome): Promise<boolean> {
    return this.recorder.end({ runId: this.runId, workerId, outcome });
  }

  /** Writes what is buffered, for a run that ends without an outcome of ours (lost, handed back). */
  close(): Promise<void> {
    return this.recorder.flush();
  }
}
