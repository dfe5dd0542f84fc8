// npm run build: the Next.js production build, then scripts/web.ts compiled to .next/web-server.mjs
// (the web server runs it with plain node: ~70 MiB less than through tsx).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

export const WEB_BUNDLE = '.next/web-server.mjs';

export async function buildAll(): Promise<boolean> {
  const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');
  const code = await new Promise<number>((resolve) =>
    spawn(process.execPath, [nextBin, 'build'], { stdio: 'inherit' }).on('exit', (c) => resolve(c ?? 1)),
  );
  if (code !== 0) return false;
  await build({
    entryPoints: ['scripts/web.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external', // node_modules stay imports; only the project's own TypeScript is compiled in
    outfile: WEB_BUNDLE,
    logLevel: 'warning',
  });
  return true;
}

if (process.argv[1]?.endsWith('scripts/build.ts')) process.exit((await buildAll()) ? 0 : 1);
