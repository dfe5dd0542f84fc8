// The worker's batched log and run ends (worker/run-recorder.ts) against a real Postgres: order across
// statements, an end written with its run's last lines, group commit, the timer flush, one bad run not
// costing the others, and the output cap still holding for a command run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogLine, RunEnd } from '../server/runs/record-runs';
import { startTestDatabase, waitFor, type TestDatabase } from './test-support';

let t: TestDatabase;
let jobId: string;

beforeAll(async () => {
  t = await startTestDatabase();
  jobId = await t.createJob({ type: 'command', config: { command: 'true' } });
});
afterAll(async () => {
  await t?.stop();
});

/** A recorder whose statements are counted (each still goes to the real database). */
async function countingRecorder() {
  const { RunRecorder } = await import('./run-recorder');
  const { recordRuns } = await import('../server/runs/record-runs');
  const statements: { lines: LogLine[]; ends: RunEnd[] }[] = [];
  const recorder = new RunRecorder((lines, ends) => {
    statements.push({ lines, ends });
    return recordRuns(lines, ends);
  });
  return { recorder, statements };
}

/** A run claimed by `workerId`, as a worker holds it. */
async function runningRun(workerId = 'w1') {
  const { claimRun } = await import('../server/runs/claim-run');
  const runId = await t.startRun(jobId, {}, { enqueue: false });
  await claimRun(runId, workerId);
  return runId;
}

const line = (runId: string, seq: number, text = `line ${seq}`): LogLine => ({
  runId,
  seq,
  stream: 'stdout',
  text,
  at: new Date(),
});
const ok = { status: 'succeeded' as const, exitCode: 0 };

describe('RunRecorder', () => {
  it('keeps order across statements and writes an end with its run last lines', async () => {
    const { recorder, statements } = await countingRecorder();
    const [a, b] = [await runningRun(), await runningRun()];
    for (let seq = 1; seq <= 5000; seq++) {
      recorder.line(line(a, seq));
      if (seq % 10 === 0) recorder.line(line(b, seq / 10));
    }
    const ends = await Promise.all([
      recorder.end({ runId: a, workerId: 'w1', outcome: ok }),
      recorder.end({ runId: b, workerId: 'w1', outcome: ok }),
    ]);
    expect(ends).toEqual([true, true]);
    // 5,500 lines: three statements of at most 2,000; each end in the statement with its run's last line
    expect(statements.map((s) => s.lines.length)).toEqual([2000, 2000, 1500]);
    for (const runId of [a, b]) {
      const last = statements.findLastIndex((s) => s.lines.some((l) => l.runId === runId));
      expect(statements[last].ends.map((e) => e.runId)).toContain(runId);
      expect(statements.slice(0, last).flatMap((s) => s.ends.map((e) => e.runId))).not.toContain(runId);
    }
    const logA = await t.logs(a);
    expect(logA.map((l) => l.seq)).toEqual(Array.from({ length: 5000 }, (_, i) => i + 1));
    expect(logA.at(-1)?.text).toBe('line 5000');
    expect((await t.logs(b)).map((l) => l.text)).toEqual(
      Array.from({ length: 500 }, (_, i) => `line ${i + 1}`),
    );
    expect(await t.run(a)).toMatchObject({ status: 'succeeded', exitCode: 0 });
  });

  it('writes the ends of runs that finish together in one statement (group commit)', async () => {
    const { recorder, statements } = await countingRecorder();
    const runIds = await Promise.all(Array.from({ length: 20 }, () => runningRun()));
    const written = await Promise.all(
      runIds.map((runId) => {
        recorder.line(line(runId, 1, 'run succeeded'));
        return recorder.end({ runId, workerId: 'w1', outcome: ok });
      }),
    );
    expect(written.every(Boolean)).toBe(true);
    expect(statements).toHaveLength(1);
    expect(statements[0].ends).toHaveLength(20);
    expect(await t.db.jobRun.count({ where: { id: { in: runIds }, status: 'succeeded' } })).toBe(20);
  });

  it('writes lines without an end within the flush interval, many in one statement', async () => {
    const { FLUSH_MS } = await import('./run-recorder');
    const { recorder, statements } = await countingRecorder();
    const runId = await runningRun();
    const at = Date.now();
    for (let seq = 1; seq <= 50; seq++) recorder.line(line(runId, seq));
    expect(statements).toHaveLength(0); // buffered, not one insert a line
    await waitFor(async () => (await t.logs(runId)).length === 50, 5_000, 'the lines to be written');
    expect(Date.now() - at).toBeGreaterThanOrEqual(FLUSH_MS - 5);
    expect(statements).toHaveLength(1);
    expect(await t.run(runId)).toMatchObject({ status: 'running' }); // lines alone end nothing
    recorder.line(line(runId, 51));
    await recorder.flush(); // what a stopping worker does
    expect((await t.logs(runId)).length).toBe(51);
  });

  it("does not let one run's bad row cost the others theirs, and leaves another worker's run alone", async () => {
    const { recorder } = await countingRecorder();
    const good = await runningRun();
    const elsewhere = await runningRun('w2');
    const gone = '00000000-0000-4000-8000-00000000dead'; // no such run: its lines break the statement
    recorder.line(line(good, 1));
    recorder.line(line(gone, 1));
    const [goodEnd, goneEnd, elsewhereEnd] = await Promise.allSettled([
      recorder.end({ runId: good, workerId: 'w1', outcome: ok }),
      recorder.end({ runId: gone, workerId: 'w1', outcome: ok }),
      recorder.end({ runId: elsewhere, workerId: 'w1', outcome: ok }),
    ]);
    expect(goodEnd).toEqual({ status: 'fulfilled', value: true });
    expect(goneEnd.status).toBe('rejected');
    expect(elsewhereEnd).toEqual({ status: 'fulfilled', value: false }); // not ours: untouched
    expect(await t.run(good)).toMatchObject({ status: 'succeeded' });
    expect((await t.logs(good)).map((l) => l.text)).toEqual(['line 1']);
    expect(await t.run(elsewhere)).toMatchObject({ status: 'running', workerId: 'w2' });
  });
});

describe('a command run through the batched log', () => {
  it('still honours COMMAND_MAX_OUTPUT_BYTES: the stored output stays under the cap', async () => {
    const { loadWorkerSettings } = await import('./settings');
    const { executeRun } = await import('./execute-run');
    const chatty = await t.createJob({
      type: 'command',
      config: { command: 'sh', args: ['-c', 'i=0; while true; do i=$((i+1)); echo "output line $i"; done'] },
    });
    const runId = await t.startRun(chatty, {}, { enqueue: false });
    await executeRun(runId, {
      workerId: 'cap',
      commandJobs: true,
      active: new Map(),
      settings: { ...loadWorkerSettings({ PATH: process.env.PATH }), maxOutputBytes: 50_000 },
    });
    const run = await t.run(runId);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/output limit reached: more than 50000 bytes/);
    const out = (await t.logs(runId)).filter((l) => l.stream === 'stdout').map((l) => l.text);
    expect(out.length).toBeGreaterThan(1000);
    expect(out.reduce((sum, text) => sum + Buffer.byteLength(text) + 1, 0)).toBeLessThanOrEqual(50_000);
    // in order, none lost in between (the last may be cut where the run was stopped)
    expect(out.slice(0, -1)).toEqual(out.slice(0, -1).map((_, i) => `output line ${i + 1}`));
    expect(`output line ${out.length}`.startsWith(out.at(-1)!)).toBe(true);
  });
});
