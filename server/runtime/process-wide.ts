// State that must exist once per process (caches, the change feed, batchers, the metrics registry, the
// database pool) lives here, keyed by name on globalThis, never in a module's own variables: the web
// process evaluates server/ code more than once. Next compiles it into two module registries (route
// handlers in .next/server/chunks/[turbopack]_runtime.js; pages and server actions in
// .next/server/chunks/ssr/[turbopack]_runtime.js), `next dev` re-evaluates modules on every edit, and
// scripts/web.ts has its own copy of the few helpers it imports. Every copy finds the one state here.
// ESLint (house/process-wide-state) refuses module-level mutable state in server/ elsewhere.

const REGISTRY = Symbol.for('etl-mgr.process-wide');

type Registry = Map<string, unknown>;

function registry(): Registry {
  const g = globalThis as { [REGISTRY]?: Registry };
  return (g[REGISTRY] ??= new Map());
}

/** This process's one value of `name`, made by the first caller's `create`. */
export function processWide<T>(name: string, create: () => T): T {
  const all = registry();
  if (!all.has(name)) all.set(name, create());
  return all.get(name) as T;
}

/** Names of the process-wide values made so far (one each, by construction): for tests and /metrics. */
export function processWideNames(): string[] {
  return [...registry().keys()];
}

type Hook = () => Promise<void> | void;
const hooks = () => processWide('shutdown-hooks', () => new Map<string, Hook>());

/** Work to finish before the process exits (a batch to write); one hook a name, the last one wins. */
export function onShutdown(name: string, hook: Hook): void {
  hooks().set(name, hook);
}

/** Runs every shutdown hook once, whichever copy of the code registered it; failures are ignored. */
export async function runShutdownHooks(): Promise<void> {
  await Promise.allSettled([...hooks().values()].map(async (hook) => hook()));
}
