import path from 'node:path';
import { z } from 'zod';

/** Where the embedded database, the generated signing secret and run folders live. */
export function dataDir(): string {
  return path.resolve(process.env.DATA_DIR ?? '.data');
}

export function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

const connectionKeysSchema = z.object({
  CONNECTIONS_PUBLIC_KEY: z.string().trim().min(1).optional(),
  CONNECTIONS_PUBLIC_KEY_FILE: z.string().trim().min(1).optional(),
  CONNECTIONS_PRIVATE_KEY: z.string().trim().min(1).optional(),
  CONNECTIONS_PRIVATE_KEY_FILE: z.string().trim().min(1).optional(),
});

/**
 * Where the connections' key pair comes from (docs/connections.md): the environment (PEM text, or a
 * file's path), else DATA_DIR/connections/. The web server reads only the public half.
 */
export function connectionKeySettings() {
  const env = connectionKeysSchema.parse(process.env);
  return {
    publicKey: env.CONNECTIONS_PUBLIC_KEY,
    publicKeyFile: env.CONNECTIONS_PUBLIC_KEY_FILE,
    privateKey: env.CONNECTIONS_PRIVATE_KEY,
    privateKeyFile: env.CONNECTIONS_PRIVATE_KEY_FILE,
    dir: path.join(dataDir(), 'connections'),
  };
}

const appSettingsSchema = z.object({
  /** Who may create organisations: `operators` (the admin CLI only) or `members` (anyone signed in). */
  ORG_CREATION: z.enum(['operators', 'members']).default('operators'),
  /** smtp(s)://user:pass@host:port; unset, mail goes to DATA_DIR/outbox as .eml files. */
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional(),
  EMAIL_FROM: z.string().trim().min(3).max(320).default('ETL manager <etl-mgr@localhost>'),
  PUBLIC_URL: z.url().optional(),
  PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
});

export interface AppSettings {
  orgCreation: 'operators' | 'members';
  smtpUrl: string | null;
  emailFrom: string;
  /** The origin people use, for links in mail (no trailing slash). */
  publicUrl: string;
}

/** The web server's and the worker's settings for organisations and mail; throws naming every wrong variable. */
export function appSettings(env: Record<string, string | undefined> = process.env): AppSettings {
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = appSettingsSchema.safeParse(set);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid settings: ${problems}`);
  }
  const s = parsed.data;
  return {
    orgCreation: s.ORG_CREATION,
    smtpUrl: s.SMTP_URL ?? null,
    emailFrom: s.EMAIL_FROM,
    publicUrl: (s.PUBLIC_URL ?? `http://localhost:${s.PORT}`).replace(/\/+$/, ''),
  };
}
