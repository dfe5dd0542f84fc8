import { describe, expect, it } from 'vitest';
import { rolledName } from '../../server/keys/roll-key';
import { buildSnippets, defaultSnippetJob } from './snippets';
import { keyHint } from './format';

const jobs = [
  { id: 'a', name: 'always-fails' },
  { id: 'c', name: 'countdown' },
  { id: 'h', name: 'hello-world' },
];

describe('defaultSnippetJob', () => {
  it('starts on the job this key last started with success, else hello-world, else the first', () => {
    expect(defaultSnippetJob(jobs, 'c')).toBe('countdown');
    expect(defaultSnippetJob(jobs, null)).toBe('hello-world');
    expect(defaultSnippetJob(jobs, 'gone')).toBe('hello-world');
    expect(defaultSnippetJob(jobs.slice(0, 2), null)).toBe('always-fails');
    expect(defaultSnippetJob([], null)).toBe('my-job');
  });
});

describe('buildSnippets', () => {
  it('offers the standard library and the popular client for Python, JavaScript and Java', () => {
    const ids = buildSnippets({ endpoint: 'http://x/etl-mgr/api/apijob', token: 'T', job: 'j' }).map(
      (s) => s.id,
    );
    expect(ids).toEqual([
      'curl',
      'python',
      'python-requests',
      'javascript',
      'javascript-axios',
      'java',
      'java-okhttp',
      'powershell',
    ]);
  });
});

describe('keyHint and rolledName', () => {
  it('tells keys apart by short id and last characters, not the common JWT prefix', () => {
    expect(keyHint('3f9a2c1d-0000-4000-8000-000000000000', 'eyJhbGci…a1B2')).toBe('3f9a2c1d…a1B2');
  });

  it('dates a rolled key, replacing an earlier roll date and keeping 100 characters at most', () => {
    const at = new Date('2026-12-03T10:00:00Z');
    expect(rolledName('pipeline', at)).toBe('pipeline (rolled 2026-12-03)');
    expect(rolledName('pipeline (rolled 2026-11-01)', at)).toBe('pipeline (rolled 2026-12-03)');
    expect(rolledName('x'.repeat(100), at)).toHaveLength(100);
  });
});
