import { afterEach, describe, expect, it } from 'vitest';
import { jobDefinitionSchema } from '../../lib/validations/job';
import type { Role } from '../db';
import type { AppError } from '../errors';
import {
  assertJobAllowed,
  commandJobsMode,
  commandRunRefusal,
  isLoaderEnv,
  type JobAuthor,
} from './job-policy';

const ENV = ['COMMAND_JOBS', 'COMMAND_ALLOWLIST', 'HTTP_JOBS_ALLOWED_HOSTS'] as const;
afterEach(() => ENV.forEach((name) => delete process.env[name]));

const command = (config: object) => jobDefinitionSchema.parse({ name: 'j', type: 'command', config });
const http = (url: string) => jobDefinitionSchema.parse({ name: 'j', type: 'http', config: { url } });
const refusal = (def: ReturnType<typeof command>, author: JobAuthor, grant: Role | null = 'admin') => {
  try {
    assertJobAllowed(def, author, grant);
    return null;
  } catch (error) {
    const e = error as AppError;
    return { code: e.code, errors: e.errors };
  }
};
const editor: JobAuthor = { role: 'editor' };
const admin: JobAuthor = { role: 'admin' };

describe('COMMAND_JOBS', () => {
  it('reads admins by default, the old on/true as admins, and refuses a value it does not know', () => {
    expect([undefined, '', 'on', 'TRUE', 'admins'].map((v) => commandJobsMode(v))).toEqual(
      Array(5).fill('admins'),
    );
    expect(['off', 'false', '0', 'no'].map((v) => commandJobsMode(v))).toEqual(Array(4).fill('off'));
    expect(commandJobsMode('editors')).toBe('editors');
    expect(() => commandJobsMode('everyone')).toThrow(/COMMAND_JOBS must be off, admins or editors/);
  });

  it('admins (the default): an editor may not save a command job, an admin and the operator may', () => {
    expect(refusal(command({ command: '/bin/true' }), editor)).toEqual({
      code: 'validation_failed',
      errors: [
        {
          path: 'config.command',
          rule: 'command_not_allowed',
          message: expect.stringContaining('Only admins and owners may define command jobs'),
        },
      ],
    });
    expect(refusal(command({ command: '/bin/true' }), admin)).toBeNull();
    expect(refusal(command({ command: '/bin/true' }), { role: 'owner' })).toBeNull();
    expect(refusal(command({ command: '/bin/true' }), 'operator')).toBeNull();
    expect(refusal(http('https://example.com/hook'), editor)).toBeNull();
  });

  it('editors lets editors save them; off refuses everyone, the operator too', () => {
    process.env.COMMAND_JOBS = 'editors';
    expect(refusal(command({ command: '/bin/true' }), editor, 'editor')).toBeNull();
    // The organisation's grant still decides: granted for admins, editors stay out.
    expect(refusal(command({ command: '/bin/true' }), editor, 'admin')).not.toBeNull();
    expect(refusal(command({ command: '/bin/true' }), admin, null)?.errors?.[0].message).toMatch(
      /operator grants them per organisation/,
    );
    process.env.COMMAND_JOBS = 'off';
    expect(refusal(command({ command: '/bin/true' }), 'operator')?.errors?.[0]).toMatchObject({
      rule: 'command_not_allowed',
      message: expect.stringMatching(/COMMAND_JOBS=off/),
    });
  });
});

describe('COMMAND_ALLOWLIST', () => {
  it('allows listed paths and globs only, for the operator too', () => {
    process.env.COMMAND_ALLOWLIST = '/usr/bin/*, /opt/etl/bin/load, /srv/jobs/**';
    for (const ok of ['/usr/bin/node', '/opt/etl/bin/load', '/srv/jobs/a/b/run.sh'])
      expect(refusal(command({ command: ok }), admin), ok).toBeNull();
    for (const bad of [
      '/bin/sh',
      '/usr/bin/x/y',
      '/opt/etl/bin/loader',
      'node',
      '/usr/bin/../../bin/sh',
      '/usr/bin/./node',
    ]) {
      expect(refusal(command({ command: bad }), 'operator')?.errors?.[0], bad).toMatchObject({
        path: 'config.command',
        rule: 'command_not_allowed',
      });
    }
  });
});

describe('environment names', () => {
  it('refuses names that change how programs load, each at its own path', () => {
    const env = {
      LD_PRELOAD: '/tmp/x.so',
      NODE_OPTIONS: '--require /tmp/x',
      PATH: '/tmp',
      BASH_ENV: '/tmp/x',
      DYLD_INSERT_LIBRARIES: 'x',
      STAGE: 'prod',
    };
    const found = refusal(command({ command: '/bin/true', env }), admin);
    expect(found?.errors?.map((e) => [e.path, e.rule])).toEqual(
      ['LD_PRELOAD', 'NODE_OPTIONS', 'PATH', 'BASH_ENV', 'DYLD_INSERT_LIBRARIES'].map((name) => [
        `config.env.${name}`,
        'env_not_allowed',
      ]),
    );
    for (const name of [
      'PYTHONPATH',
      'PERL5OPT',
      'RUBYOPT',
      'JAVA_TOOL_OPTIONS',
      '_JAVA_OPTIONS',
      'IFS',
      'ENV',
      'ld_library_path',
      'BASH_FUNC_x%%',
    ])
      expect(isLoaderEnv(name), name).toBe(true);
    for (const name of ['STAGE', 'DATABASE_NAME', 'TZ', 'LANG']) expect(isLoaderEnv(name), name).toBe(false);
  });
});

describe('HTTP destinations at save', () => {
  it('refuses a literal internal address, in any spelling, and localhost', () => {
    for (const url of [
      'http://127.0.0.1:5432/',
      'http://localhost.:8080/',
      'http://2130706433/',
      'http://0x7f000001/',
      'http://169.254.169.254/latest',
      'http://[fd00:ec2::254]/',
      'http://10.0.0.8/',
      'http://localhost:3000/',
      'http://[::ffff:127.0.0.1]/',
    ]) {
      expect(refusal(http(url), admin)?.errors, url).toEqual([
        {
          path: 'config.url',
          rule: 'host_not_allowed',
          message: expect.stringMatching(
            /refused: .* are not allowed \(an operator can open it with HTTP_JOBS_ALLOWED_HOSTS\)/,
          ),
        },
      ]);
    }
    expect(refusal(http('https://example.com/hook'), admin)).toBeNull();
  });

  it('lets the operator open internal targets', () => {
    process.env.HTTP_JOBS_ALLOWED_HOSTS = '10.0.0.0/8,localhost:3000';
    expect(refusal(http('http://10.0.0.8/'), admin)).toBeNull();
    expect(refusal(http('http://localhost:3000/'), admin)).toBeNull();
    expect(refusal(http('http://localhost:3001/'), admin)).not.toBeNull();
  });
});

describe('commandRunRefusal (the worker, at run time)', () => {
  it('refuses a run of an organisation without the grant, with the reason', () => {
    expect(commandRunRefusal({ command: '/bin/sh', env: {} }, null)).toMatch(
      /^refused: This organisation has no grant for command jobs.*org grant-commands.*\(command_not_allowed\)$/,
    );
  });

  it('holds the allowlist and the environment names, not the role rule', () => {
    expect(commandRunRefusal({ command: '/bin/sh', env: {} }, 'admin')).toBeNull();
    expect(commandRunRefusal({ command: '/bin/sh', env: { LD_PRELOAD: '/tmp/x.so' } }, 'admin')).toMatch(
      /^refused: LD_PRELOAD changes how programs load .*\(env_not_allowed\)$/,
    );
    process.env.COMMAND_ALLOWLIST = '/usr/bin/*';
    expect(commandRunRefusal({ command: '/bin/sh', env: {} }, 'admin')).toMatch(
      /^refused: \/bin\/sh is not among the executables .*\(command_not_allowed\)$/,
    );
  });
});
