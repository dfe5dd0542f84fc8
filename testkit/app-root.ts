// The app runs from a private root: a copy of .next beside symlinks to the rest of the repository, so a
// `next build` started in the tree meanwhile (others work here too) cannot replace files under it.
import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import path from 'node:path';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const SKIP_IN_COPY = new Set(['cache', 'trace', 'diagnostics', 'lock', 'dev']);
// next build writes BUILD_ID before it has finished: these come last, and nothing may be newer than 5 s.
// `npm run build` (scripts/build.ts) then compiles the web server to .next/web-server.mjs.
const WEB_BUNDLE = 'web-server.mjs';
const FINAL_FILES = [
  'BUILD_ID',
  'routes-manifest.json',
  'prerender-manifest.json',
  'required-server-files.json',
  'server/preview-props.json',
  WEB_BUNDLE,
];

/** A finished build: its last files are there and nothing in it changed for 5 seconds. */
function settled(next: string): boolean {
  if (!FINAL_FILES.every((f) => existsSync(path.join(next, f)))) return false;
  const newest = Math.max(
    ...[next, path.join(next, 'server')].flatMap((dir) =>
      readdirSync(dir)
        .filter((f) => !SKIP_IN_COPY.has(f))
        .map((f) => statSync(path.join(dir, f)).mtimeMs),
    ),
  );
  return Date.now() - newest > 5_000;
}

const built = (root: string) =>
  existsSync(path.join(root, '.next', 'BUILD_ID')) && existsSync(path.join(root, '.next', WEB_BUNDLE));

async function ensureBuild(root: string, log: (line: string) => void): Promise<void> {
  if (built(root)) return;
  log('no production build (.next/BUILD_ID, .next/web-server.mjs): running npm run build first');
  const result = await new Promise<{ code: number | null; text: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (c) => (text += c));
    child.stderr.on('data', (c) => (text += c));
    child.once('exit', (code) => resolve({ code, text }));
  });
  if (result.code === 0) return;
  if (!/Another next build process is already running/i.test(result.text))
    throw new Error(`next build failed (${result.code}):\n${result.text.slice(-3000)}`);
  log('another next build is running in this tree: waiting for it (at most 8 minutes)');
  for (let i = 0; i < 240; i++) {
    if (built(root)) return;
    await sleep(2_000);
  }
  throw new Error('no .next/BUILD_ID after waiting for the other build');
}

export async function privateAppRoot(
  root: string,
  into: string,
  log: (line: string) => void,
): Promise<{ appRoot: string; buildId: string }> {
  const appRoot = path.join(into, 'app');
  mkdirSync(appRoot, { recursive: true });
  for (const entry of readdirSync(root)) {
    if (
      entry === '.next' ||
      entry === '.git' ||
      entry.startsWith('.data') ||
      entry === 'playwright-report' ||
      entry === 'test-results'
    )
      continue;
    symlinkSync(path.join(root, entry), path.join(appRoot, entry));
  }
  const idFile = path.join(root, '.next', 'BUILD_ID');
  const stamp = () =>
    existsSync(idFile) ? `${readFileSync(idFile, 'utf8').trim()}@${statSync(idFile).mtimeMs}` : null;
  for (let attempt = 0; attempt < 5; attempt++) {
    await ensureBuild(root, log);
    for (let i = 0; i < 240 && !settled(path.join(root, '.next')); i++) {
      if (i === 0) log('the build in the tree is still being written: waiting for it to settle');
      await sleep(2_000);
    }
    const before = stamp();
    const copy = path.join(appRoot, '.next');
    rmSync(copy, { recursive: true, force: true });
    try {
      cpSync(path.join(root, '.next'), copy, {
        recursive: true,
        verbatimSymlinks: true,
        filter: (src) => !SKIP_IN_COPY.has(path.relative(path.join(root, '.next'), src)),
      });
    } catch {
      // a build replaced files while they were copied: try again
    }
    const after = stamp();
    if (before && before === after && FINAL_FILES.every((f) => existsSync(path.join(copy, f))))
      return { appRoot, buildId: before.split('@')[0] };
    log('the build changed while it was being copied: copying again');
    await sleep(2_000);
  }
  throw new Error('could not take a consistent copy of .next');
}
