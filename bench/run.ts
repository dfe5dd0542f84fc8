// npm run bench [-- --quick]: the job API's hot path (POST /etl-mgr/api/apijob) measured side by side
// with two bare floors, in alternating rounds, on a fresh embedded Postgres; then end to end with a
// worker. Prints the figures and writes bench/RESULTS.md. Everything it starts, it stops.
//
//   A     the floor: node:http + jose + pg doing the app's work per start (bench/floor.ts, FLOOR=full:
//         key row, job row, etl_start_runs: run row + queue entry + audit event)
//   Amin  the minimal floor: the same with a bare insert of the run row (FLOOR=minimal: no queue entry,
//         no audit event), autocommit
//   B     the product: the production build, started by the launcher (scripts/start.ts), START_WORKER=false
//
// --quick: 3 rounds each at 32 connections, about 4 minutes on a quiet machine. Full: 5 rounds each, a
// sweep over 1, 8 and 128 connections, about 12-15 minutes. Only 127.0.0.1 is ever a target.
// Modules: config.ts (the command line, in one place), lifecycle.ts, targets.ts, rounds.ts, starts.ts,
// end-to-end.ts, report.ts.
import { runMain } from './lifecycle';
import { benchStarts } from './starts';
import { benchWorker } from './worker';
import { benchPipeline } from './pipeline';
import { seedScaleBench } from './seed-scale';
import { benchRss } from './rss';

// The command line's modes: a flag picks one (one import and one line each); none: the start bench.
// Flags of a mode's own (--quick, --keep) are read in config.ts.
const MODES: [flag: string, run: () => Promise<void>][] = [
  ['--worker', benchWorker],
  ['--pipeline', benchPipeline], // a 50-step chain of /bin/true against 50 × one run + 2 s (bench/pipeline.ts)
  ['--rss', benchRss], // the web process's memory under load, variants side by side (bench/rss.ts)
  ['--seed-scale', async () => void (process.exitCode = await seedScaleBench())], // --seed-scale[=<scale>]
];

const picked = MODES.find(([flag]) => process.argv.some((a) => a === flag || a.startsWith(`${flag}=`)));
runMain(picked ? picked[1] : benchStarts);
