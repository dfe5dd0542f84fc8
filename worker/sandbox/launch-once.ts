// One command run through the worker's own path (prepareLaunch, the spawner, finishLaunch), without a
// database: `tsx worker/sandbox/launch-once.ts '<json CommandSpec fields>'` prints one JSON line with
// its output and exit. The isolation tests start it as a worker that is not root.
import { launch } from '../spawner';
import { loadWorkerSettings } from '../settings';
import { finishLaunch, prepareLaunch } from './index';
import { startNetwork } from './network';

const spec = {
  args: [],
  env: {},
  network: false,
  runId: `once-${process.pid}`,
  jobId: 'once',
  paramsJson: '{}',
  timeoutSeconds: 60,
  ...JSON.parse(process.argv[2] ?? '{}'),
};
const settings = loadWorkerSettings();
const prepared = await prepareLaunch(spec, settings);
if ('error' in prepared) {
  console.log(JSON.stringify({ error: prepared.error }));
  process.exit(0);
}
let stdout = '';
let stderr = '';
let stop = () => {};
const code = await new Promise<number | null>((resolve) => {
  const started = launch(
    {
      file: prepared.file,
      args: prepared.args,
      options: prepared.options,
      stdin: '',
      sandbox: prepared.sandbox,
    },
    {
      spawned() {},
      held(childPid, error) {
        if (error) stderr += error;
        else if (prepared.network) startNetwork(childPid).then((s) => ((stop = s), started.release()));
      },
      data: (stream, chunk) => (stream === 'stdout' ? (stdout += chunk) : (stderr += chunk)),
      exit() {},
      close: (c) => resolve(c),
    },
  );
});
stop();
const { oom } = await finishLaunch(prepared);
console.log(JSON.stringify({ code, stdout, stderr, oom, summary: prepared.summary }));
process.exit(0);
