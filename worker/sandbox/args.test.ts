import { describe, expect, it } from 'vitest';
import { bwrapArgs, prlimitArgs, type BwrapPlan } from './args';
import { nftRules } from './network';
import { seccompFilter } from './seccomp';

const plan: BwrapPlan = {
  network: false,
  symlinks: { '/bin': 'usr/bin', '/lib': 'usr/lib' },
  hidden: ['/srv/etl/.data', '/srv/etl', '/usr/local/etl'],
  tmpBytes: 1024,
  prlimit: [],
  command: '/usr/bin/node',
  args: ['-e', 'x'],
};
/** The value following `flag`, for each time it occurs. */
const after = (args: string[], flag: string, n = 1) =>
  args.flatMap((a, i) => (a === flag ? [args.slice(i + 1, i + 1 + n).join(' ')] : []));
const program = (args: string[]) => args.slice(args.indexOf('--') + 1);

describe('prlimitArgs', () => {
  it('limits data memory, processes and CPU (soft, then hard 5 s later) when set, and writes no core', () => {
    const limits = { memoryBytes: 1024, processes: 256, cpuSeconds: 60 };
    expect(prlimitArgs(limits)).toEqual(['--data=1024', '--nproc=256', '--core=0', '--cpu=60:65']);
    expect(prlimitArgs({ memoryBytes: 0, processes: 0, cpuSeconds: 0 })).toEqual(['--core=0']);
  });
});

describe('bwrapArgs', () => {
  it('a user namespace that may not nest, its own network/pid/ipc/uts/cgroup namespaces, then the program itself', () => {
    const args = bwrapArgs(plan);
    expect(args.slice(0, 5)).toEqual([
      '--die-with-parent',
      '--new-session',
      '--unshare-all',
      '--unshare-user',
      '--disable-userns',
    ]);
    expect(args).not.toContain('--share-net');
    expect(bwrapArgs({ ...plan, network: true })).toContain('--disable-userns');
    expect(after(args, '--seccomp')).toEqual(['3']);
    expect(after(args, '--info-fd')).toEqual(['4']);
    expect(after(args, '--block-fd')).toEqual(['5']);
    expect(program(args)).toEqual(['/usr/bin/node', '-e', 'x']); // no setuid helper, no extra exec
    const limited = bwrapArgs({ ...plan, prlimit: ['/usr/bin/prlimit', '--cpu=5:10', '--'] });
    expect(program(limited)).toEqual(['/usr/bin/prlimit', '--cpu=5:10', '--', '/usr/bin/node', '-e', 'x']);
  });

  it('mounts only the system and /etc essentials read-only, sized tmpfs elsewhere, never the whole host', () => {
    const args = bwrapArgs(plan);
    expect(after(args, '--ro-bind', 2)).toEqual([]);
    expect(after(args, '--ro-bind-try', 1)).toEqual(
      expect.arrayContaining(['/usr', '/sbin', '/lib64', '/etc/passwd', '/etc/ssl']),
    );
    expect(
      after(args, '--ro-bind-try', 1).every((p) => !['/', '/etc', '/home', '/var', '/opt'].includes(p)),
    ).toBe(true);
    expect(after(args, '--symlink', 2)).toEqual(['usr/bin /bin', 'usr/lib /lib']);
    expect(after(args, '--tmpfs')).toEqual(['/usr/local/etl', '/tmp', '/dev/shm', '/run', '/run/job']);
    expect(after(args, '--size', 3)).toEqual([
      '4096 --tmpfs /usr/local/etl',
      '1024 --tmpfs /tmp',
      '1024 --tmpfs /dev/shm',
      '1048576 --tmpfs /run',
      '1024 --tmpfs /run/job',
    ]);
    expect(after(args, '--chdir')).toEqual(['/run/job']);
  });

  it("gives networked runs a resolv.conf naming slirp4netns' DNS (fd 6)", () => {
    expect(after(bwrapArgs(plan), '--ro-bind-data', 2)).toEqual([]);
    expect(after(bwrapArgs({ ...plan, network: true }), '--ro-bind-data', 2)).toEqual(['6 /etc/resolv.conf']);
  });
});

describe('nftRules', () => {
  it("refuses the host's addresses and every non-public range, except what HTTP_JOBS_ALLOWED_HOSTS opens", () => {
    const rules = nftRules('10.1.0.0/16, 192.168.1.5:8080, api.internal', ['192.0.2.2']);
    expect(rules).toContain('ip daddr 10.1.0.0/16 accept');
    expect(rules).toContain('ip daddr 192.168.1.5/32 tcp dport 8080 accept');
    const refused = /ip daddr \{ (.*) \} reject/.exec(rules)![1].split(', ');
    expect(refused).toEqual(
      expect.arrayContaining([
        '192.0.2.2/32',
        '127.0.0.0/8',
        '10.0.0.0/8',
        '169.254.0.0/16',
        '100.64.0.0/10',
      ]),
    );
    expect(rules.indexOf('10.1.0.0/16 accept')).toBeLessThan(rules.indexOf('reject'));
    expect(rules).toMatch(/meta nfproto ipv6 reject/);
  });
});

describe('seccompFilter', () => {
  it('is a whole number of BPF instructions that checks the architecture first', () => {
    for (const arch of ['x64', 'arm64'] as const) {
      const filter = seccompFilter(arch);
      expect(filter.length % 8).toBe(0);
      expect(filter.readUInt16LE(0)).toBe(0x20); // load seccomp_data.arch
      expect(filter.readUInt32LE(4)).toBe(4);
      expect(filter.readUInt32LE(12)).toBe(arch === 'x64' ? 0xc000003e : 0xc00000b7);
    }
  });
});
