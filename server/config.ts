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
