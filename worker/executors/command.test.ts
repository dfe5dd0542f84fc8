import { describe, expect, it } from 'vitest';
import { loadWorkerSettings } from '../settings';
import { exitResult } from './command';

const settings = { ...loadWorkerSettings({ PATH: '' }), memoryMb: 256 };

describe('exitResult', () => {
  it('succeeds on 0 and reports the exit code otherwise', () => {
    expect(exitResult(0, null, settings, 60)).toEqual({ status: 'succeeded', exitCode: 0 });
    expect(exitResult(3, null, settings, 60)).toEqual({
      status: 'failed',
      exitCode: 3,
      error: 'exited with code 3',
    });
  });

  it('reads 128 + N from bwrap as signal N, and names the signal without guessing its cause', () => {
    expect(exitResult(152, null, settings, 60).error).toBe('CPU time limit reached (60 s)');
    expect(exitResult(null, 'SIGXCPU', { ...settings, cpuSeconds: 5 }, 60).error).toBe(
      'CPU time limit reached (5 s)',
    );
    // a signal is not a memory verdict (a thread that could not be created aborts too): the cgroup says
    expect(exitResult(133, null, settings, 60).error).toBe('exited with code 133 (killed by SIGTRAP)');
    expect(exitResult(null, 'SIGABRT', settings, 60).error).toBe('killed by SIGABRT');
    expect(exitResult(137, null, settings, 60).error).toBe('exited with code 137 (killed by SIGKILL)');
    expect(exitResult(null, 'SIGTERM', settings, 60)).toEqual({
      status: 'failed',
      error: 'killed by SIGTERM',
    });
  });
});
