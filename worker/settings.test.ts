import { describe, expect, it } from 'vitest';
import { commandTimeoutSeconds, findProgram, loadWorkerSettings } from './settings';

describe('loadWorkerSettings', () => {
  it('has defaults for everything, and finds bwrap on PATH or at COMMAND_BWRAP_PATH', () => {
    const s = loadWorkerSettings({ PATH: '/usr/bin:/bin' });
    expect(s).toMatchObject({
      sandbox: 'auto',
      network: false,
      memoryMb: 512,
      maxProcesses: 256,
      cpuSeconds: 0,
      maxOutputBytes: 10 * 1024 * 1024,
      maxTimeoutSeconds: 86_400,
      uidRange: [100_000, 165_535],
      cpus: 1,
      cgroupFs: '/sys/fs/cgroup',
      orgMaxConcurrentRuns: 0,
    });
    expect(s.bwrap).toBe(findProgram('bwrap', '/usr/bin:/bin'));
    expect(
      loadWorkerSettings({ PATH: '/usr/bin', COMMAND_BWRAP_PATH: '/nonexistent/bwrap' }).bwrap,
    ).toBeNull();
    expect(loadWorkerSettings({ PATH: '/nowhere' }).bwrap).toBeNull();
  });

  it('reads each variable, and an empty one is the default', () => {
    const s = loadWorkerSettings({
      COMMAND_SANDBOX: 'bubblewrap',
      COMMAND_NETWORK: 'off',
      COMMAND_MEMORY_MB: '1024',
      COMMAND_MAX_PROCESSES: '32',
      COMMAND_CPU_SECONDS: '',
      COMMAND_MAX_OUTPUT_BYTES: '1000',
      COMMAND_MAX_TIMEOUT_SECONDS: '0',
      COMMAND_UID_RANGE: '200000-200099',
      COMMAND_CPUS: '0.5',
      COMMAND_CGROUP_ROOT: '/etl/runs',
      ORG_MAX_CONCURRENT_RUNS: '0',
    });
    expect(s).toMatchObject({
      sandbox: 'bubblewrap',
      network: false,
      memoryMb: 1024,
      maxProcesses: 32,
      cpuSeconds: 0,
      maxOutputBytes: 1000,
      maxTimeoutSeconds: 0,
      uidRange: [200_000, 200_099],
      cpus: 0.5,
      cgroupRoot: '/etl/runs',
      orgMaxConcurrentRuns: 0,
    });
  });

  it('names every wrong variable in one error', () => {
    expect(() =>
      loadWorkerSettings({
        COMMAND_SANDBOX: 'docker',
        COMMAND_MEMORY_MB: '10',
        COMMAND_UID_RANGE: '0-10',
        ORG_MAX_CONCURRENT_RUNS: '-1',
      }),
    ).toThrow(/COMMAND_SANDBOX.*COMMAND_MEMORY_MB.*COMMAND_UID_RANGE.*ORG_MAX_CONCURRENT_RUNS/);
  });
});

describe('commandTimeoutSeconds', () => {
  it("caps a job's timeout at COMMAND_MAX_TIMEOUT_SECONDS, and gives the cap to a job without one", () => {
    expect(commandTimeoutSeconds(3600, { maxTimeoutSeconds: 60 })).toBe(60);
    expect(commandTimeoutSeconds(30, { maxTimeoutSeconds: 60 })).toBe(30);
    expect(commandTimeoutSeconds(0, { maxTimeoutSeconds: 60 })).toBe(60);
    expect(commandTimeoutSeconds(30, { maxTimeoutSeconds: 0 })).toBe(30);
    expect(commandTimeoutSeconds(0, { maxTimeoutSeconds: 0 })).toBe(0);
  });
});
