import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory, DriverAdapterError } from '@prisma/driver-adapter-utils';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import pg from 'pg';

// Prisma's WebAssembly schema engine: the native engine cannot be downloaded on every machine, and the
// WASM one reads and writes the same prisma/migrations layout and _prisma_migrations table.

const root = process.cwd();
const schemaPath = path.join(root, 'prisma', 'schema.prisma');
const migrationsDir = path.join(root, 'prisma', 'migrations');
const filters = { externalTables: [], externalEnums: [] };

type Engine = {
  applyMigrations(input: unknown): Promise<{ appliedMigrationNames: string[] }>;
  diff(input: unknown): Promise<{ exitCode: number; stdout: string }>;
  free(): void;
};
let runtime: { SchemaEngine: { new: (...args: unknown[]) => Promise<Engine> } } | undefined;

let lastPanic = '';
async function loadRuntime() {
  if (runtime) return runtime;
  // The engine reports a Rust panic's message here before it throws.
  (globalThis as Record<string, unknown>).PRISMA_WASM_PANIC_REGISTRY ??= {
    set_message: (m: string) => {
      lastPanic = m;
      if (process.env.DEBUG_SCHEMA_ENGINE) console.error('panic:', m);
    },
  };
  const require = createRequire(path.join(root, 'package.json'));
  const bgPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  // The package's main entry imports the .wasm as an ES module; instantiate it by hand instead.
  const mod = await import(bgPath);
  const wasm = await readFile(path.join(path.dirname(bgPath), 'schema_engine_bg.wasm'));
  const instance = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(wasm)), {
    './schema_engine_bg.js': mod,
  });
  mod.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
  runtime = mod;
  return mod as NonNullable<typeof runtime>;
}

// The engine reads the catalog's "char" columns (pg_class.relkind and the like), which the pg adapter
// refuses (UnsupportedNativeDataType). The pool hands them over as text and notes where they were; the
// adapter's answer then declares those columns as Character, the type the engine expects.
const CHAR_OID = 18;
const TEXT_OID = 25;
const CHARACTER_COLUMN = 6; // ColumnTypeEnum.Character of @prisma/driver-adapter-utils
let charColumns: number[] = [];
function catalogFriendlyPool(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const patch = (target: { query: (...args: never[]) => unknown }) => {
    const query = target.query.bind(target) as (...args: unknown[]) => Promise<pg.QueryResult>;
    (target as { query: unknown }).query = async (...args: unknown[]) => {
      const result = await query(...args);
      charColumns = [];
      result?.fields?.forEach((field, i) => {
        if (field.dataTypeID === CHAR_OID) {
          field.dataTypeID = TEXT_OID;
          charColumns.push(i);
        }
      });
      return result;
    };
  };
  patch(pool);
  pool.on('connect', (client) => patch(client));
  return pool;
}
type Queryable = { queryRaw(q: unknown): Promise<{ columnTypes: number[] }> };
function declareCharColumns<T extends Queryable>(queryable: T): T {
  const queryRaw = queryable.queryRaw.bind(queryable);
  queryable.queryRaw = async (q) => {
    const result = await queryRaw(q);
    for (const i of charColumns) result.columnTypes[i] = CHARACTER_COLUMN;
    return result;
  };
  return queryable;
}
function catalogFriendlyAdapter(url: string) {
  const pool = catalogFriendlyPool(url);
  const factory = new PrismaPg(pool as never);
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = declareCharColumns(await connect());
    // adapter-pg splits scripts at every ";", which breaks function bodies and comments; Postgres
    // runs a multi-statement script itself, in one implicit transaction, as the native engine does.
    adapter.executeScript = async (script: string) => {
      try {
        await pool.query(script);
      } catch (error) {
        const e = error as { message?: string; code?: string };
        throw new DriverAdapterError({
          kind: 'postgres',
          code: e.code ?? '',
          severity: 'ERROR',
          message: e.message ?? String(error),
          detail: undefined,
          column: undefined,
          hint: undefined,
          originalCode: e.code,
          originalMessage: e.message,
        });
      }
    };
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (...args) => declareCharColumns(await startTransaction(...args));
    return adapter;
  };
  return { pool, factory };
}

async function withEngine<T>(url: string, fn: (engine: Engine) => Promise<T>): Promise<T> {
  const rt = await loadRuntime();
  const { pool, factory } = catalogFriendlyAdapter(url);
  const adapter = bindMigrationAwareSqlAdapterFactory(factory);
  const engine = await rt.SchemaEngine.new({ datamodels: undefined }, () => {}, adapter);
  try {
    return await fn(engine);
  } catch (error) {
    if (lastPanic) throw new Error(`schema engine panicked: ${lastPanic}`, { cause: error });
    throw error;
  } finally {
    engine.free();
    await pool.end();
  }
}

function migrationsList() {
  const dirs = existsSync(migrationsDir)
    ? readdirSync(migrationsDir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  return {
    baseDir: migrationsDir,
    lockfile: { path: 'migration_lock.toml', content: 'provider = "postgresql"\n' },
    shadowDbInitScript: '',
    migrationDirectories: dirs.map((name) => ({
      path: name,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok', value: readFileSync(path.join(migrationsDir, name, 'migration.sql'), 'utf8') },
      },
    })),
  };
}

/** Applies prisma/migrations that the database has not seen, then the queue's own schema. */
export async function applyMigrations(url: string): Promise<string[]> {
  const applied = await withEngine(url, (e) =>
    e.applyMigrations({ migrationsList: migrationsList(), filters }),
  );
  const { runMigrations, Logger } = await import('graphile-worker');
  await runMigrations({ connectionString: url, logger: new Logger(() => () => {}) });
  return applied.appliedMigrationNames;
}

/** The SQL that would bring a database (with every migration applied) to schema.prisma; '' when none. */
export async function pendingSchemaSql(url: string): Promise<string> {
  const files = [{ path: schemaPath, content: readFileSync(schemaPath, 'utf8') }];
  const result = await withEngine(url, (e) =>
    e.diff({
      from: { tag: 'schemaDatasource', files, configDir: root },
      to: { tag: 'schemaDatamodel', files },
      script: true,
      exitCode: true,
      filters,
    }),
  );
  return result.exitCode === 2 ? result.stdout : '';
}
