// The bench's options and constants. The command line is read here, in one place: `npm run bench`
// measures starts; a mode flag picks another measurement (run.ts dispatches on `args.mode`).

export interface BenchArgs {
  quick: boolean;
  keep: boolean;
}

/** Flags of the start bench; other modes add theirs beside them. */
export function parseArgs(argv: string[]): BenchArgs {
  return { quick: argv.includes('--quick'), keep: argv.includes('--keep') };
}

export const args = parseArgs(process.argv.slice(2));

export const CFG = args.quick
  ? {
      mode: 'quick',
      warmupSeconds: 2,
      connections: 32,
      rounds: 3,
      roundSeconds: 10,
      sweep: [] as number[],
      sweepRounds: 0,
      sweepSeconds: 0,
      halfRateRounds: 1,
      halfRateSeconds: 6,
      oneConnSeconds: 3,
      probeSeconds: 2,
      seqCount: 100,
      seqGapMs: 20,
      burst: 1000,
      drainTimeoutSeconds: 60,
      watchdogSeconds: 480,
    }
  : {
      mode: 'full',
      warmupSeconds: 5,
      connections: 32,
      rounds: 5,
      roundSeconds: 15,
      sweep: [1, 8, 128],
      sweepRounds: 2,
      sweepSeconds: 10,
      halfRateRounds: 2,
      halfRateSeconds: 15,
      oneConnSeconds: 0,
      probeSeconds: 5,
      seqCount: 300,
      seqGapMs: 20,
      burst: 1000,
      drainTimeoutSeconds: 300,
      watchdogSeconds: 1800,
    };

export const JOB_NAME = 'bench-noop';
export const API_PATH = '/etl-mgr/api/apijob';
export const log = (line: string) => console.log(`[bench] ${line}`);
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const nowMs = () => performance.timeOrigin + performance.now();

/** The three targets: the present floor, the minimal floor and the product. */
export type TargetName = 'A' | 'Amin' | 'B';
export const TARGETS: TargetName[] = ['A', 'Amin', 'B'];
export const FLOORS: TargetName[] = ['A', 'Amin'];

export function ms(value: number): string {
  if (!Number.isFinite(value)) return '-';
  return value >= 100
    ? `${value.toFixed(0)} ms`
    : value >= 10
      ? `${value.toFixed(1)} ms`
      : `${value.toFixed(2)} ms`;
}
