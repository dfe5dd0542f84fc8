// The worker's spawner: a small child process that starts command runs for it and relays their output.
// Why: node's spawn() forks the calling process, and a worker that has loaded Prisma's query engine
// (WebAssembly, 200+ MiB mapped) pays about 7 ms of CPU per fork and blocks its event loop until the
// child has exec'd (35 ms on a busy machine). Forked from here (node builtins only, ~40 MiB), a start
// costs a fraction of that, and the worker's loop never waits on it.
//
// Plain JavaScript on purpose: it runs under a bare `node`, whatever loader (tsx, vitest) the worker has.
// Messages (advanced serialization, so output travels as bytes):
//   in:  {type:'spawn', id, file, args, options, stdin} | {type:'close-pipes', id}
//   out: {type:'spawned', id, pid} | {type:'error', id, message} | {type:'data', id, stream, chunk}
//        | {type:'exit', id, ms} | {type:'close', id, code, signal}
// The run's process groups are signalled by the worker itself (it knows the pid). When the worker goes
// away (the IPC channel closes, even on SIGKILL) every group started here is killed and this exits.
import { spawn } from 'node:child_process';

const children = new Map();
const send = (message) => process.connected && process.send(message);

// Bench-only (the request's `trace`): wall-clock marks of the hand-overs, sent with the messages.
const wallMs = () => performance.timeOrigin + performance.now();

function start({ id, file, args, options, stdin, trace }) {
  const received = trace ? wallMs() : 0;
  const spawnedAt = performance.now();
  let child;
  try {
    child = spawn(file, args, { ...options, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (error) {
    send({ type: 'error', id, message: error.message });
    return;
  }
  children.set(id, child);
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

process.on('message', (message) => {
  if (message.type === 'spawn') start(message);
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
