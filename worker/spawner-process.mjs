// The worker's spawner: a small child process that starts command runs for it and relays their output.
// Why: node's spawn() forks the calling process, and a worker that has loaded Prisma's query engine
// (WebAssembly, 200+ MiB mapped) pays about 7 ms of CPU per fork and blocks its event loop until the
// child has exec'd (35 ms on a busy machine). Forked from here (node builtins only, ~40 MiB), a start
// costs a fraction of that, and the worker's loop never waits on it.
//
// Plain JavaScript on purpose: it runs under a bare `node`, whatever loader (tsx, vitest) the worker has.
// Messages (advanced serialization, so output travels as bytes):
//   in:  {type:'spawn', id, file, args, options, stdin, sandbox?} | {type:'close-pipes', id} | {type:'release', id}
//   out: {type:'spawned', id, pid} | {type:'error', id, message} | {type:'data', id, stream, chunk}
//        | {type:'held', id, childPid, error?} | {type:'exit', id, ms} | {type:'close', id, code, signal}
// A sandboxed launch (`sandbox`: bwrap) gets its seccomp filter on fd 3 (and resolv.conf on fd 6), tells
// its child's pid on fd 4 and waits for a byte on fd 5: here the child goes into the run's cgroups, then it is released at once,
// or (`hold`) when the worker says so, once it has set up the run's network.
// The run's process groups are signalled by the worker itself (it knows the pid). When the worker goes
// away (the IPC channel closes, even on SIGKILL) every group started here is killed and this exits.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';

// Only stdio reaches a run: a descriptor this process inherited without close-on-exec (node opens its own
// with it) would pass through spawn() and bwrap into the job, so it is closed first.
for (const name of readdirSync('/proc/self/fd')) {
  const fd = Number(name);
  if (fd <= 2) continue;
  try {
    const flags = /^flags:\s*(\d+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))?.[1];
    if (flags && (parseInt(flags, 8) & 0o2000000) === 0) closeSync(fd);
  } catch {
    // the listing's own descriptor, gone by now
  }
}

const children = new Map();
const send = (message) => process.connected && process.send(message);

// Bench-only (the request's `trace`): wall-clock marks of the hand-overs, sent with the messages.
const wallMs = () => performance.timeOrigin + performance.now();

function start({ id, file, args, options, stdin, trace, sandbox }) {
  const received = trace ? wallMs() : 0;
  const spawnedAt = performance.now();
  let child;
  const files = [];
  try {
    const stdio = ['pipe', 'pipe', 'pipe'];
    if (sandbox) {
      // opened here, each with its own offset (bwrap reads them to the end), as the run's uid may not
      files.push(openSync(sandbox.seccomp, 'r'));
      if (sandbox.resolvConf) files.push(openSync(sandbox.resolvConf, 'r'));
      stdio.push(files[0], 'pipe', 'pipe', ...files.slice(1));
    }
    child = spawn(file, args, { ...options, stdio });
  } catch (error) {
    send({ type: 'error', id, message: error.message });
    return;
  } finally {
    files.forEach((fd) => closeSync(fd));
  }
  children.set(id, child);
  if (sandbox && child.pid !== undefined) hold(id, child, sandbox);
  let failed = false;
  child.on('error', (error) => {
    failed = true;
    children.delete(id);
    send({ type: 'error', id, message: error.message });
  });
  if (child.pid === undefined) return; // 'error' follows
  send({ type: 'spawned', id, pid: child.pid, ...(trace && { marks: { received, spawned: wallMs() } }) });
  for (const stream of ['stdout', 'stderr'])
    child[stream].on('data', (chunk) => send({ type: 'data', id, stream, chunk }));
  child.stdin.on('error', () => {}); // EPIPE when the program does not read its stdin
  child.stdin.end(stdin);
  child.on('exit', () =>
    send({
      type: 'exit',
      id,
      ms: performance.now() - spawnedAt,
      ...(trace && { marks: { exited: wallMs() } }),
    }),
  );
  child.on('close', (code, signal) => {
    children.delete(id);
    if (!failed) send({ type: 'close', id, code, signal, ...(trace && { marks: { closed: wallMs() } }) });
  });
}

/** Reads bwrap's info (its child's pid), puts the child in the run's cgroups, and releases it. */
function hold(id, child, { cgroupProcs, hold: wait }) {
  let info = '';
  const [, , , , infoPipe, blockPipe] = child.stdio;
  blockPipe.on('error', () => {}); // bwrap gone already
  infoPipe.on('data', (chunk) => {
    info += chunk;
    let childPid;
    try {
      childPid = JSON.parse(info)['child-pid'];
    } catch {
      return; // not whole yet
    }
    infoPipe.destroy();
    try {
      for (const file of cgroupProcs) writeFileSync(file, String(childPid));
    } catch (error) {
      kill(child.pid);
      send({ type: 'held', id, childPid, error: `could not put the run in its cgroup: ${error.message}` });
      return;
    }
    if (wait) {
      child.release = () => blockPipe.end('1');
      send({ type: 'held', id, childPid });
    } else blockPipe.end('1');
  });
}

function kill(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

process.on('message', (message) => {
  if (message.type === 'spawn') start(message);
  else if (message.type === 'release') children.get(message.id)?.release?.();
  else if (message.type === 'close-pipes') {
    const child = children.get(message.id);
    child?.stdout.destroy();
    child?.stderr.destroy();
  }
});

process.on('disconnect', () => {
  for (const child of children.values()) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  process.exit(0);
});
process.on('SIGTERM', () => {}); // the worker decides when its runs end; it disconnects to stop us
process.on('SIGINT', () => {});
