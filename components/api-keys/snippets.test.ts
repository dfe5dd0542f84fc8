import { describe, expect, it } from 'vitest';
import { buildSnippets, defaultSnippetJob } from './snippets';
import { keyHint } from './format';
import { exampleParams } from '../../lib/params-example';

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

describe('snippets for a job whose schema requires params', () => {
  const schema = {
    type: 'object',
    properties: {
      region: { type: 'string', enum: ['eu-west', 'us-east'] },
      batch: { type: 'string', examples: ['2026-12-01'] },
      limit: { type: 'integer', minimum: 5, default: 100 },
      note: { type: 'string' },
      retries: { type: 'integer', minimum: 2 },
      flags: { type: 'object', properties: { fast: { type: 'boolean' } }, required: ['fast'] },
    },
    required: ['region', 'retries', 'flags'],
    additionalProperties: false,
  };

  it('fill required fields and hinted ones, in the schema’s order, from defaults, examples, enums and types', () => {
    const params = exampleParams(schema);
    expect(params).toEqual({
      region: 'eu-west',
      batch: '2026-12-01',
      limit: 100,
      retries: 2,
      flags: { fast: false },
    });
    expect(Object.keys(params)).toEqual(['region', 'batch', 'limit', 'retries', 'flags']);
    expect(exampleParams(null)).toEqual({});
  });

  it('send the params in every client, Python with its own literals', () => {
    const params = { region: 'eu-west', on: true, none: null };
    for (const s of buildSnippets({ endpoint: 'http://x/a', token: 'T-SECRET', job: 'j', params })) {
      expect(s.code, s.id).toContain('eu-west');
      expect(s.code, s.id).not.toContain('"params": {}');
      if (s.language === 'python') expect(s.code).toContain('"on": True, "none": None');
    }
  });

  it('read the key from ETL_API_KEY when asked, never holding the token', () => {
    for (const s of buildSnippets({ endpoint: 'http://x/a', token: 'T-SECRET', job: 'j', keyFrom: 'env' })) {
      expect(s.code, s.id).not.toContain('T-SECRET');
      expect(s.code, s.id).toContain('ETL_API_KEY');
    }
  });
});

describe('keyHint', () => {
  it('tells keys apart by short id and last characters, not the common JWT prefix', () => {
    expect(keyHint('3f9a2c1d-0000-4000-8000-000000000000', 'eyJhbGci…a1B2')).toBe('3f9a2c1d…a1B2');
  });
});
