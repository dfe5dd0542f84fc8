import { describe, expect, test } from 'vitest';
import { createLogger, lineLogger, maskSecrets } from './logger';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
const JWE = 'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..aXY.Y2lwaGVy.dGFn';

function capture(format = 'json') {
  const lines: string[] = [];
  return { lines, log: createLogger('worker', { format, level: 'debug', write: (l) => lines.push(l) }) };
}

describe('logger', () => {
  test('JSON lines with level, time, role and child fields', () => {
    const { lines, log } = capture();
    log.child({ runId: 'r-1' }).warn('slow');
    const line = JSON.parse(lines[0]);
    expect(line).toMatchObject({ level: 'warn', role: 'worker', runId: 'r-1', msg: 'slow' });
    expect(new Date(line.time).toISOString()).toBe(line.time);
  });

  test('secrets are masked in fields, nested fields, messages and error stacks', () => {
    const { lines, log } = capture();
    log.info(
      {
        headers: { authorization: `Bearer ${JWT}`, cookie: 'sid=s3cr3t-cookie', 'x-api-key': 'k3y-value' },
        body: { user: { password: 'hunter2' } },
      },
      `token ${JWT}`,
    );
    log.error(
      { err: new Error(`cannot connect to postgresql://etl:pa55word@db:5432/etl with ${JWE}`) },
      'boom',
    );
    log.info(`form email=a@b.c&password=hunter3 and ${JSON.stringify({ clientSecret: 'oidc-s3cret' })}`);
    const text = lines.join('');
    for (const secret of [
      JWT,
      JWE,
      's3cr3t-cookie',
      'k3y-value',
      'hunter2',
      'hunter3',
      'pa55word',
      'oidc-s3cret',
    ])
      expect(text).not.toContain(secret);
    expect(text).toContain('postgresql://etl:[redacted]@db:5432/etl');
    for (const line of lines) JSON.parse(line); // still JSON
  });

  test('pretty output is masked too and keeps the message readable', () => {
    const { lines, log } = capture('pretty');
    log.info(`[start] ready in 1.0s; key ${JWT}`);
    expect(lines[0]).toMatch(/INFO: \(worker\) \[start\] ready in 1\.0s; key \[redacted-jwt\]/);
  });

  test('lineLogger makes the run id a field and failures warnings', () => {
    const { lines, log } = capture();
    const sink = lineLogger(() => log);
    sink('run 0b7c9c52-93f4-4c3e-9a57-2a3f3b0c4d5e: could not claim it (gone)');
    sink('lost runs retried: a, b');
    expect(JSON.parse(lines[0])).toMatchObject({
      level: 'warn',
      runId: '0b7c9c52-93f4-4c3e-9a57-2a3f3b0c4d5e',
    });
    expect(JSON.parse(lines[1]).runId).toBeUndefined();
  });

  test('maskSecrets leaves ordinary text alone', () => {
    expect(maskSecrets('run abc succeeded in 2 s (exit 0)')).toBe('run abc succeeded in 2 s (exit 0)');
  });
});
