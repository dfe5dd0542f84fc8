import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { childrenOf, commandLine } from './proc-fs';
import { isolatedEnv, runNode, startService, stopProc } from './processes';

const dir = mkdtempSync(path.join(tmpdir(), 'testkit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('testkit processes', () => {
  it('waits for the ready line, then stops the whole process group, grandchildren included', async () => {
    const script = `
      const { spawn } = require('node:child_process');
      spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      process.on('SIGTERM', () => {}); // a leader that ignores SIGTERM is killed after the grace
      setTimeout(() => console.log('ready now'), 200);
      setInterval(() => {}, 1000);`;
    const seen: string[] = [];
    const proc = await startService('probe', ['-e', script], {
      env: process.env,
      logFile: path.join(dir, 'probe.log'),
      ready: /ready now/,
      timeoutMs: 10_000,
      onLine: (line) => seen.push(line),
    });
    expect(seen).toContain('ready now');
    const [grandchild] = childrenOf(proc.pid);
    expect(commandLine(grandchild)).toContain('setInterval');
    await stopProc(proc, 500);
    expect(proc.alive()).toBe(false);
    await new Promise((r) => setTimeout(r, 200));
    expect(alive(grandchild)).toBe(false);
  });

  it('rejects with the last output when the process exits before it is ready', async () => {
    await expect(
      startService('quitter', ['-e', 'console.log("bye"); process.exit(3)'], {
        env: process.env,
        logFile: path.join(dir, 'q.log'),
        ready: /never/,
        timeoutMs: 10_000,
      }),
    ).rejects.toThrow(/quitter exited \(3\)[\s\S]*bye/);
  });

  it('runNode resolves with stdout and rejects with the output on failure', async () => {
    await expect(runNode(['-e', 'console.log("out")'], { env: process.env })).resolves.toBe('out\n');
    await expect(
      runNode(['-e', 'console.error("why"); process.exit(2)'], { env: process.env }),
    ).rejects.toThrow(/why/);
  });

  it('isolatedEnv drops the outer app settings and the names asked, and adds the extra ones', () => {
    process.env.API_KEY_SECRETS = 'outer:secret';
    process.env.TESTKIT_DROP_ME = '1';
    const env = isolatedEnv({ PORT: '4321' }, ['TESTKIT_DROP_ME']);
    expect(env.API_KEY_SECRETS).toBeUndefined();
    expect(env.TESTKIT_DROP_ME).toBeUndefined();
    expect(env.PORT).toBe('4321');
    expect(env.PATH).toBe(process.env.PATH);
    delete process.env.API_KEY_SECRETS;
    delete process.env.TESTKIT_DROP_ME;
  });
});
