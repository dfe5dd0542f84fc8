// Links the product hands out (the OpenAPI server URL, invitation links, snippets) come from PUBLIC_URL,
// never from the request's Host or X-Forwarded-Host: a hostile Host header cannot put its own address
// into a link someone else follows.
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, test } from 'vitest';

const hostile = {
  host: 'evil.example',
  'x-forwarded-host': 'evil.example',
  'x-forwarded-proto': 'https',
  'x-etl-socket-address': '10.0.0.2',
};
const env = process.env as Record<string, string | undefined>;
const saved = { ...env };
afterEach(() => {
  for (const name of ['PUBLIC_URL', 'TRUST_PROXY', 'PORT', 'NODE_ENV'] as const)
    if (saved[name] === undefined) delete env[name];
    else env[name] = saved[name];
});

async function openApiServers(): Promise<string> {
  // Next hands the route its request; the handler does not look at it.
  const GET = (await import('../../app/etl-mgr/api/openapi.json/route')).GET as (r: Request) => Response;
  const answer = GET(new Request('http://evil.example/etl-mgr/api/openapi.json', { headers: hostile }));
  return JSON.stringify(((await answer.json()) as { servers: unknown }).servers);
}

describe('a hostile Host header', () => {
  test('is not reflected into the OpenAPI server URL, behind a trusted proxy or not', async () => {
    delete process.env.PUBLIC_URL;
    process.env.PORT = '3180';
    for (const trust of [undefined, '1']) {
      if (trust) process.env.TRUST_PROXY = trust;
      const servers = await openApiServers();
      expect(servers).not.toContain('evil.example');
      expect(servers).toContain('http://localhost:3180');
    }
    process.env.PUBLIC_URL = 'https://etl.example.com/';
    expect(await openApiServers()).toContain('https://etl.example.com');
  });

  test('is not reflected into invitation links: they are under PUBLIC_URL', async () => {
    const { invitationLink } = await import('../members/invitations');
    process.env.PUBLIC_URL = 'https://etl.example.com';
    expect(invitationLink('tok')).toBe('https://etl.example.com/invite/tok');
  });
});

describe('PUBLIC_URL', () => {
  test('in production it is required, and must be an http(s) URL', async () => {
    const { publicUrl } = await import('../config');
    env.NODE_ENV = 'production';
    delete process.env.PUBLIC_URL;
    expect(() => publicUrl()).toThrow(/^PUBLIC_URL is not set: .+\.$/);
    process.env.PUBLIC_URL = 'javascript:alert(1)';
    expect(() => publicUrl()).toThrow(/PUBLIC_URL/);
    process.env.PUBLIC_URL = 'https://etl.example.com/';
    expect(publicUrl()).toBe('https://etl.example.com');
  });

  test('the web server refuses to start in production without it, in one sentence', () => {
    const childEnv: Record<string, string | undefined> = { ...saved, NODE_ENV: 'production', PORT: '1' };
    delete childEnv.PUBLIC_URL;
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/web.ts'], {
      env: childEnv as NodeJS.ProcessEnv,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status, result.stderr).toBe(2);
    expect(`${result.stdout}${result.stderr}`).toMatch(/PUBLIC_URL is not set: /);
  });
});
