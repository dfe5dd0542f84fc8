// Each run isolated from the host and from every other run (issue 22): attacks written as a job would try
// them, run for real under bubblewrap through executeRun.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, rmdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerSettings } from './settings';
import { startTestDatabase, waitFor, type TestDatabase } from './test-support';

let t: TestDatabase;
beforeAll(async () => {
  t = await startTestDatabase();
});
afterAll(async () => {
  await t?.stop();
});

const texts = async (runId: string, stream?: string) =>
  (await t.logs(runId)).filter((l) => !stream || l.stream === stream).map((l) => l.text);

/** Runs a job through executeRun; `during` is called once the run's stdout holds `ready`. */
async function run(
  config: { command: string; args: string[]; network?: boolean },
  settings: Partial<WorkerSettings> = {},
  options: { timeoutSeconds?: number } = {},
) {
  const { loadWorkerSettings } = await import('./settings');
  const { executeRun } = await import('./execute-run');
  const jobId = await t.createJob({ type: 'command', config, timeoutSeconds: options.timeoutSeconds });
  const runId = await t.startRun(jobId, {}, { enqueue: false });
  const done = executeRun(runId, {
    workerId: 'isolation',
    commandJobs: true,
    active: new Map(),
    settings: { ...loadWorkerSettings({ PATH: process.env.PATH, COMMAND_NETWORK: 'on' }), ...settings },
  });
  return {
    runId,
    ready: (marker: string) =>
      waitFor(async () => (await texts(runId, 'stdout')).includes(marker), 20_000, `"${marker}" in the log`),
    async result() {
      await done;
      return { run: await t.run(runId), out: await texts(runId, 'stdout'), log: await texts(runId) };
    },
  };
}
const node = (script: string, network = false) => ({
  command: process.execPath,
  args: ['-e', script],
  network,
});
const sh = (script: string, network = false) => ({ command: '/bin/sh', args: ['-c', script], network });

/** The host's own non-loopback IPv4 addresses (where the web port listens when bound to 0.0.0.0). */
const hostAddresses = () =>
  Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.internal)
    .map((a) => a!.address);

function listen(host: string): Promise<net.Server & { port: number }> {
  const server = net.createServer((socket) => socket.end('pong\n'));
  return new Promise((resolve) =>
    server.listen(0, host, () =>
      resolve(Object.assign(server, { port: (server.address() as net.AddressInfo).port })),
    ),
  );
}
const connectFrom = (host: string, port: number) =>
  new Promise<string>((resolve) => {
    const socket = net.connect(port, host);
    socket.setTimeout(3_000, () => (socket.destroy(), resolve('timeout')));
    socket.on('data', (d) => (socket.destroy(), resolve(`got ${String(d).trim()}`)));
    socket.on('connect', () => resolve('connected'));
    socket.on('error', (e: NodeJS.ErrnoException) => resolve(`refused ${e.code}`));
  });
/** A script that tries each host:port and prints one line each. */
const probes = (targets: [string, number][]) =>
  `const net = require('net'); let left = ${targets.length};
  for (const [h, p] of ${JSON.stringify(targets)}) {
    const s = net.connect(p, h); s.setTimeout(3000, () => { console.log(h + ' timeout'); s.destroy(); if (!--left) process.exit(0); });
    s.on('data', (d) => { console.log(h + ' got ' + String(d).trim()); s.destroy(); if (!--left) process.exit(0); });
    s.on('error', (e) => { console.log(h + ' refused ' + e.code); if (!--left) process.exit(0); });
  }`;

describe('network', () => {
  it('a networked run cannot reach a listener on the host, on 127.0.0.1 or on its other addresses', async () => {
    const loopback = await listen('127.0.0.1');
    const anyAddress = await listen('0.0.0.0');
    try {
      const targets: [string, number][] = [
        ['127.0.0.1', loopback.port],
        ['127.0.0.1', anyAddress.port],
        ...hostAddresses().map((a): [string, number] => [a, anyAddress.port]),
      ];
      expect(targets.length).toBeGreaterThan(2);
      const { out, log } = await (await run(node(probes(targets), true))).result();
      expect(log.join('\n')).toMatch(/network on/);
      expect(out).toHaveLength(targets.length);
      for (const line of out) expect(line).not.toMatch(/got pong/);
    } finally {
      loopback.close();
      anyAddress.close();
    }
  });

  it('nothing on the host can connect to a port a networked run binds', async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const script = `require('net').createServer((s) => s.end('inside\\n')).listen(${port}, '0.0.0.0', () => console.log('listening')); setTimeout(() => process.exit(0), 4000);`;
    const r = await run(node(script, true));
    await r.ready('listening');
    for (const host of ['127.0.0.1', ...hostAddresses()])
      expect(await connectFrom(host, port)).not.toMatch(/^(got|connected)/);
    await r.result();
  });

  it('a run without the network has nothing but lo', async () => {
    const { out } = await (
      await run(node("console.log(Object.keys(require('os').networkInterfaces()).join(','))", false))
    ).result();
    expect(out).toEqual(['lo']);
    const off = await (
      await run(node("console.log(Object.keys(require('os').networkInterfaces()).join(','))", true), {
        network: false,
      })
    ).result();
    expect(off.out).toEqual(['lo']);
  });
});

describe('processes', () => {
  it('one run holding processes near its limit does not stop another from forking', async () => {
    const settings = { maxProcesses: 30 };
    const hog = await run(
      sh('for i in $(seq 26); do sleep 30.75 & done; echo held; sleep 6; kill $(jobs -p) 2>/dev/null; true'),
      settings,
    );
    await hog.ready('held');
    const other = await (
      await run(sh('for i in 1 2 3 4 5 6; do true & done; wait; echo forked'), settings)
    ).result();
    expect(other.out).toEqual(['forked']);
    expect(other.run.status).toBe('succeeded');
    await hog.result();
  });
});

describe('memory and disk', () => {
  it('4 processes of 300 MiB under "memory 512 MiB" fail with the memory reason', async () => {
    const script = [
      'for i in 1 2 3 4; do',
      "  node -e 'const b = Buffer.alloc(300 * 1024 * 1024, 1); setTimeout(() => console.log(b.length), 3000)' &",
      '  pids="$pids $!"',
      'done',
      'for p in $pids; do wait $p || exit 1; done; echo all-done',
    ].join('\n');
    const { run: r, out } = await (await run(sh(script), { memoryMb: 512 })).result();
    expect(out).not.toContain('all-done');
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(/memory limit of the run reached \(512 MiB\)/);
  });

  it('a run writing 1 GiB into /tmp, /dev/shm or its folder fails', async () => {
    for (const dir of ['/tmp', '/dev/shm', '.']) {
      const { run: r, out } = await (
        await run(sh(`head -c 1073741824 /dev/zero > ${dir}/big && echo wrote`), { memoryMb: 256 })
      ).result();
      expect(out).not.toContain('wrote');
      expect(r.status).toBe('failed');
    }
  });

  it('refuses the run with one sentence where cgroups cannot be used', async () => {
    const noCgroups = path.join(t.dir, 'no-cgroups');
    mkdirSync(noCgroups, { recursive: true });
    const { run: r, out } = await (await run(sh('echo ran'), { cgroupFs: noCgroups })).result();
    expect(out).toEqual([]);
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(
      /^command runs are refused: the run's cgroup cannot be made \(no memory cgroup controller is mounted at .*\); .*COMMAND_SANDBOX=none.*\.$/,
    );
  });
});

describe('hardening', () => {
  it('no nested user, network or mount namespaces and no mount inside a run', async () => {
    for (const command of ['unshare -Ur id', 'unshare -n true', 'unshare -m true']) {
      const { run: r, log } = await (await run(sh(`${command} && echo escaped`))).result();
      expect(log.join('\n')).not.toContain('escaped');
      expect(r.status).toBe('failed');
    }
  });

  it('sees only the system and its own folder: no /home, /srv, /opt, /root, /var, DATA_DIR or checkout', async () => {
    mkdirSync(path.join(t.dir, 'visible-probe'), { recursive: true });
    writeFileSync(path.join(t.dir, 'visible-probe', 'x'), 'x');
    const dirs = ['/home', '/srv', '/opt', '/root', '/var', '/mnt', t.dir, process.cwd()];
    const script = dirs.map((d) => `if [ -n "$(ls -A ${d} 2>/dev/null)" ]; then echo "sees ${d}"; fi`);
    const { run: r, out } = await (
      await run(sh([...script, 'ls /usr/bin/env >/dev/null && echo ok'].join('; ')))
    ).result();
    expect(out).toEqual(['ok']);
    expect(r.status).toBe('succeeded');
  });
});

// Tests run as root here; a worker that is not root is started as nobody, given a cgroup of its own
// (v1: folders chowned to it, as an operator would delegate them), or not.
const v1 = existsSync('/sys/fs/cgroup/pids/cgroup.procs');
describe.runIf(process.getuid?.() === 0 && v1)('a worker that is not root', () => {
  const NOBODY = 65534;
  const delegated = `/etl-test-${process.pid}`;
  const controllers = ['memory', 'pids', 'cpu'];
  let home: string;
  beforeAll(() => {
    home = path.join(t.dir, 'nobody');
    mkdirSync(home, { recursive: true });
    chownSync(home, NOBODY, NOBODY);
    for (const c of controllers) {
      mkdirSync(`/sys/fs/cgroup/${c}${delegated}`, { recursive: true });
      for (const f of ['', '/cgroup.procs', '/tasks'])
        chownSync(`/sys/fs/cgroup/${c}${delegated}${f}`, NOBODY, NOBODY);
    }
  });
  afterAll(() => {
    for (const c of controllers) rmdirSync(`/sys/fs/cgroup/${c}${delegated}`);
  });
  const once = (spec: object, env: Record<string, string> = {}) =>
    JSON.parse(
      execFileSync(
        'setpriv',
        [
          '--reuid',
          String(NOBODY),
          '--regid',
          String(NOBODY),
          '--clear-groups',
          'env',
          `HOME=${home}`,
          `DATA_DIR=${home}`,
          `PATH=${process.env.PATH}`,
          ...Object.entries(env).map(([k, v]) => `${k}=${v}`),
          process.execPath,
          '--import',
          'tsx',
          'worker/sandbox/launch-once.ts',
          JSON.stringify(spec),
        ],
        { encoding: 'utf8', timeout: 60_000 },
      )
        .trim()
        .split('\n')
        .pop()!,
    );

  it('with a delegated cgroup: runs in it, and no nested namespace, mount or host folder either', async () => {
    const script =
      'id -u; cat /proc/self/cgroup | grep pids; unshare -Ur id && echo escaped; unshare -n true && echo escaped; ls /home /root /srv 2>/dev/null && echo sees; true';
    const r = once({ command: '/bin/sh', args: ['-c', script] }, { COMMAND_CGROUP_ROOT: delegated });
    expect(r.error).toBeUndefined();
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe(String(NOBODY));
    expect(lines[1]).toMatch(new RegExp(`pids:${delegated}/once-`));
    expect(r.stdout).not.toMatch(/escaped|sees/);
  });

  it('without one, or for a networked run, refuses with one sentence', async () => {
    expect(once({ command: '/bin/true' }).error).toMatch(
      /^command runs are refused: the run's cgroup cannot be made \(EACCES: permission denied, mkdir '[^']+'\); run the worker as root or give it a delegated cgroup \(COMMAND_CGROUP_ROOT\), or set COMMAND_SANDBOX=none to run them without isolation\.$/,
    );
    expect(
      once({ command: '/bin/true', network: true }, { COMMAND_CGROUP_ROOT: delegated, COMMAND_NETWORK: 'on' })
        .error,
    ).toMatch(/^networked command runs are refused: they need a worker running as root/);
  });
});
