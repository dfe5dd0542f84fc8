// Linux /proc readers for the bench, the chaos suite and the tests: process trees, resident memory,
// CPU time, the machine.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import os from 'node:os';

function read(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** Fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function statFields(pid: number): string[] | null {
  const stat = read(`/proc/${pid}/stat`);
  if (!stat) return null;
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** The process and all its descendants that are alive now. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    if (!fields) continue;
    const ppid = Number(fields[1]);
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid)!.push(Number(entry));
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift()!;
    if (!read(`/proc/${pid}/stat`)) continue;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** The direct children of a process. */
export function childrenOf(parent: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (/^\d+$/.test(entry) && Number(statFields(Number(entry))?.[1]) === parent)
      children.push(Number(entry));
  }
  return children;
}

/** Sends `signal` to each process that is still there. */
export function signalAll(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // gone
    }
  }
}

/** SIGSTOP to a PostgreSQL postmaster and every backend: connections hang instead of failing. Returns what to thaw. */
export function freezePostmaster(postmaster: number): number[] {
  signalAll([postmaster], 'SIGSTOP');
  const pids = [postmaster, ...childrenOf(postmaster)];
  signalAll(pids, 'SIGSTOP');
  return pids;
}

export function thawPostmaster(pids: number[]): void {
  signalAll([...pids].reverse(), 'SIGCONT');
}

export function commandLine(pid: number): string {
  return (read(`/proc/${pid}/cmdline`) ?? '').replace(/\0/g, ' ').trim();
}

export function processName(pid: number): string {
  return (read(`/proc/${pid}/comm`) ?? '').trim();
}

/** Resident memory in KiB (VmRSS), or null when the process is gone. */
export function rssKiB(pid: number): number | null {
  const match = read(`/proc/${pid}/status`)?.match(/^VmRSS:\s+(\d+)\s+kB/m);
  return match ? Number(match[1]) : null;
}

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/**
 * User + system CPU time of the processes, in milliseconds, including what their children that have
 * exited and been waited for used (cutime + cstime): a Postgres backend that closes still counts, in its
 * postmaster.
 */
export function cpuMs(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    const fields = statFields(pid);
    if (fields) ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  }
  return (ticks * 1000) / clockTicks();
}

export function loadAverage(): string {
  return (read('/proc/loadavg') ?? '').split(' ').slice(0, 3).join(' ');
}

export function uptime(): string {
  try {
    return execFileSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    return `load average: ${loadAverage()}`;
  }
}

export interface Machine {
  nproc: number;
  cpuModel: string;
  memory: string;
  node: string;
  kernel: string;
}

export function machine(): Machine {
  let nproc = os.availableParallelism();
  try {
    nproc = Number(execFileSync('nproc', { encoding: 'utf8' }).trim()) || nproc;
  } catch {
    // os.availableParallelism() it is
  }
  const cpuModel =
    read('/proc/cpuinfo')
      ?.match(/^model name\s*:\s*(.+)$/m)?.[1]
      .trim() ??
    os.cpus()[0]?.model ??
    'unknown';
  const memKiB = Number(read('/proc/meminfo')?.match(/^MemTotal:\s+(\d+)/m)?.[1] ?? os.totalmem() / 1024);
  return {
    nproc,
    cpuModel,
    memory: `${(memKiB / 1024 / 1024).toFixed(1)} GiB`,
    node: process.version,
    kernel: os.release(),
  };
}

/**
 * The process serving <port> (any address), from /proc/net/tcp{,6} and the fds. The launcher binds the web
 * port and hands the socket to its web process (scripts/web-listener.ts), so both hold it: the holder whose
 * parent holds it too is the one serving.
 */
export function listeningPid(port: number): number | null {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of (read(table) ?? '').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // local_address is ADDR:PORT; state 0A is LISTEN; column 9 is the socket's inode.
      if (cols.length > 9 && cols[1].endsWith(`:${hexPort}`) && cols[3] === '0A') inodes.add(cols[9]);
    }
  }
  if (inodes.size === 0) return null;
  const holders: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const link = readlinkSync(`/proc/${entry}/fd/${fd}`);
        const match = link.match(/^socket:\[(\d+)\]$/);
        if (match && inodes.has(match[1])) {
          holders.push(Number(entry));
          break;
        }
      } catch {
        // closed meanwhile
      }
    }
  }
  const parentOf = (pid: number) => {
    const stat = read(`/proc/${pid}/stat`) ?? '';
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  };
  return holders.find((pid) => holders.includes(parentOf(pid))) ?? holders[0] ?? null;
}
