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
});

export interface AppSettings {
  orgCreation: 'operators' | 'members';
  smtpUrl: string | null;
  emailFrom: string;
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
  };
}

/** SCHEDULE_MIN_INTERVAL_SECONDS: the shortest time between two ticks of one schedule (default 5 minutes). */
export function scheduleMinIntervalSeconds(): number {
  return intFromEnv('SCHEDULE_MIN_INTERVAL_SECONDS', 300);
}

/** SCHEDULE_MAX_QUEUED_RUNS: a job with this many queued runs skips its scheduled starts (0 = no cap). */
export function scheduleMaxQueuedRuns(): number {
  return intFromEnv('SCHEDULE_MAX_QUEUED_RUNS', 10);
}

const httpUrl = z.url({ protocol: /^https?$/ });

/**
 * PUBLIC_URL, without a trailing slash: the address links are made of (invitations, the OpenAPI server,
 * snippets). Never the request's Host or X-Forwarded-Host, which a caller chooses. Required in
 * production (npm start sets it from its port when unset); elsewhere http://localhost:$PORT.
 */
export function publicUrl(): string {
  const raw = process.env.PUBLIC_URL?.trim();
  if (!raw) {
    if (process.env.NODE_ENV === 'production')
      throw new Error(
        'PUBLIC_URL is not set: set it to the address people and programs reach this server at (npm start sets it from its port), since links are never made from the Host header.',
      );
    return `http://localhost:${process.env.PORT ?? 3000}`;
  }
  if (!httpUrl.safeParse(raw).success)
    throw new Error(
      `PUBLIC_URL "${raw}" is not an http(s) URL: set it to an address such as https://etl.example.com.`,
    );
  return raw.replace(/\/+$/, '');
}
