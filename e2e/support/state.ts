import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { E2E_DATA_DIR, ROOT } from './env';

/** What the global setup made once for every test: keys (tokens), job ids and another org's run. */
export interface E2EState {
  keys: {
    /** demo, all jobs, the default rate limit: the key most tests use. */
    main: string;
    /** demo, --rate-limit 3: only the rate-limit test uses it. */
    rateLimited: string;
    /** demo: the revocation test revokes it. */
    revocable: string;
    /** demo, --jobs <hello-world's id>. */
    scoped: string;
    /** organisation "other". */
    other: string;
  };
  jobs: {
    helloWorld: string;
    countdown: string;
    alwaysFails: string;
    /** demo, parallel, sleeps 60 s: for cancelling a running run. */
    sleeper: string;
    /** demo, parallel, prints one, two, three: for paging logs. */
    threeLines: string;
    /** demo, never started by any test except dry runs: its lastRun stays null. */
    idle: string;
    /** organisation "other" */
    other: string;
  };
  otherJobName: string;
  /** A run of organisation "other"'s job. */
  otherRunId: string;
}

export const STATE_FILE = path.join(ROOT, E2E_DATA_DIR, 'e2e-state.json');

export function writeState(state: E2EState): void {
  writeFileSync(STATE_FILE, JSON.stringify(state, null, 2));
}

let cached: E2EState | undefined;

/** Read lazily, inside tests: test files are loaded before the global setup runs. */
export function state(): E2EState {
  cached ??= JSON.parse(readFileSync(STATE_FILE, 'utf8')) as E2EState;
  return cached;
}
