import { describe, expect, it } from 'vitest';
import { bwrapArgs, prlimitArgs, type BwrapPlan } from './args';

const plan: BwrapPlan = {
  asRoot: true,
  uid: 65534,
  network: false,
  workDir: '/srv/etl/.data/runs/r1',
  hidden: ['/srv/etl/.data', '/srv/etl'],
  tmpBytes: 1024,
  setpriv: '/usr/bin/setpriv',
  prlimit: '/usr/bin/prlimit',
  limits: { memoryBytes: 512 * 1024 * 1024, processes: 256, cpuSeconds: 60 },
  command: '/usr/bin/node',
  args: ['-e', 'x'],
};
/** The value following `flag`, for each time it occurs. */
const after = (args: string[], flag: string, n = 1) =>
  args.flatMap((a, i) => (a === flag ? [args.slice(i + 1, i + 1 + n).join(' ')] : []));
const program = (args: string[]) => args.slice(args.indexOf('--') + 1);

describe('prlimitArgs', () => {
  it('limits data memory, processes and CPU (soft, then hard 5 s later), and writes no core', () => {
    expect(prlimitArgs(plan.limits)).toEqual(['--data=536870912', '--nproc=256', '--core=0', '--cpu=60:65']);
    expect(prlimitArgs({ ...plan.limits, cpuSeconds: 0 })).not.toContainEqual(
      expect.stringMatching(/^--cpu/),
    );
  });
});

describe('bwrapArgs', () => {
  it('as root: own pid/ipc/uts namespaces without a user namespace, then setpriv drops to the uid with no capabilities', () => {
    const args = bwrapArgs(plan);
    expect(args).toEqual(
      expect.arrayContaining([
        '--die-with-parent',
        '--new-session',
        '--unshare-pid',
        '--unshare-ipc',
        '--unshare-uts',
        '--unshare-net',
      ]),
    );
    expect(args).not.toContain('--unshare-all'); // it would map the uid to root outside
    expect(args).not.toContain('--uid');
    expect(program(args)).toEqual([
      '/usr/bin/setpriv',
      '--reuid',
      '65534',
      '--regid',
      '65534',
      '--clear-groups',
      '--inh-caps=-all',
      '--bounding-set=-all',
      '--no-new-privs',
      '--',
      '/usr/bin/prlimit',
      '--data=536870912',
      '--nproc=256',
      '--core=0',
      '--cpu=60:65',
      '--',
      '/usr/bin/node',
      '-e',
      'x',
    ]);
  });

  it('as another user: a user namespace keeps its uid, and no further namespaces inside', () => {
    const args = bwrapArgs({ ...plan, asRoot: false });
    expect(args).toEqual(expect.arrayContaining(['--unshare-all', '--unshare-user', '--disable-userns']));
    expect(args).not.toContain('--share-net');
    expect(program(args)[0]).toBe('/usr/bin/prlimit');
  });

  it('shares the network only when asked', () => {
    expect(bwrapArgs({ ...plan, network: true })).not.toContain('--unshare-net');
    expect(bwrapArgs({ ...plan, asRoot: false, network: true })).toContain('--share-net');
  });

  it('mounts the system read-only, fresh /dev /proc /tmp /run, hides DATA_DIR and the project, binds the run folder', () => {
    const args = bwrapArgs(plan);
    expect(after(args, '--ro-bind', 2)).toEqual(['/ /']);
    expect(after(args, '--dev')).toEqual(['/dev']);
    expect(after(args, '--proc')).toEqual(['/proc']);
    expect(after(args, '--tmpfs')).toEqual(['/tmp', '/dev/shm', '/run', '/srv/etl']); // .data is inside /srv/etl
    expect(after(args, '--perms', 4)).toEqual(['1777 --size 1024 --tmpfs', '1777 --size 1024 --tmpfs']);
    expect(after(args, '--bind', 2)).toEqual(['/srv/etl/.data/runs/r1 /run/job']);
    expect(after(args, '--chdir')).toEqual(['/run/job']);
    // the run folder goes in after the folders that hide it
    expect(args.indexOf('--bind')).toBeGreaterThan(args.lastIndexOf('--tmpfs'));
  });

  it('skips hidden folders the fresh mounts already cover, and never hides /', () => {
    const args = bwrapArgs({ ...plan, hidden: ['/tmp/data', '/run/x', '/'] });
    expect(after(args, '--tmpfs')).toEqual(['/tmp', '/dev/shm', '/run']);
  });
});
