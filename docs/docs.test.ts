import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_STATUS } from '../server/errors';
import { openApiDocument } from '../server/http/openapi';

// The API reference in docs/ is prose for people; these checks keep it from drifting from the code.
const apiDoc = readFileSync(new URL('./api.md', import.meta.url), 'utf8');

describe('docs/api.md', () => {
  it('lists every answer code with the status the code table gives it', () => {
    const rows = new Map(
      [...apiDoc.matchAll(/^\| `([a-z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]),
    );
    expect(Object.fromEntries(rows)).toEqual(ERROR_STATUS);
  });

  it('names every path of the OpenAPI', () => {
    const paths = Object.keys(openApiDocument('http://localhost').paths);
    expect(paths.length).toBeGreaterThan(3);
    for (const path of paths)
      expect(apiDoc, path).toContain(`/etl-mgr/api${path.replace(/^\/etl-mgr\/api/, '')}`);
  });
});

describe('README', () => {
  it('links only inside the repository', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const links = [...readme.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]);
    for (const link of links) expect(link, link).not.toMatch(/^\.\.\//);
    expect(readme).not.toContain('shared/DESIGN.md');
  });
});
