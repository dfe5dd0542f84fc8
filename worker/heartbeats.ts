import { heartbeatRuns } from '../server/runs/heartbeat-runs';

/** What a heartbeat found about a run: a sweeper gave it away, or someone asked to cancel it. */
export type BeatNews = 'lost' | 'cancel';

/**
 * One heartbeat for all of a worker's running runs: every `intervalMs`, one statement marks them alive
 * and brings back the ones that are no longer ours and the cancel requests (not a timer and a round
 * trip per run). A run shorter than the interval costs nothing here.
 */
export class Heartbeats {
  private runs = new Map<string, (news: BeatNews) => void>();
  private timer: NodeJS.Timeout | undefined;
  private beating = false;

  constructor(
    private readonly workerId: string,
    private readonly intervalMs = 2_000,
    private readonly report: (line: string) => void = () => {},
  ) {}

  add(runId: string, onNews: (news: BeatNews) => void): void {
    this.runs.set(runId, onNews);
    this.timer ??= setInterval(() => void this.beat(), this.intervalMs);
  }

  remove(runId: string): void {
    this.runs.delete(runId);
    if (this.runs.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private async beat(): Promise<void> {
    if (this.beating || this.runs.size === 0) return;
    this.beating = true;
    const ids = [...this.runs.keys()];
    try {
      const alive = await heartbeatRuns(ids, this.workerId);
      for (const id of ids) {
        const news = alive.get(id);
        if (!news) this.runs.get(id)?.('lost');
        else if (news.cancelRequested) this.runs.get(id)?.('cancel');
      }
    } catch (error) {
      this.report(`heartbeat of ${ids.length} runs failed: ${(error as Error).message}`); // again next time
    } finally {
      this.beating = false;
    }
  }
}
