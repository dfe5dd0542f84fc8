import { createPublicKey, type KeyObject } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { connectionKeySettings } from '../config';
import { generateKeyPair, keyId, privateKeyObject, publicKeyObject } from './crypto';

// The worker's key pair for connections. The web server seals with the public half; the private half is
// for workers only (and the operator's rotation). Given by the environment, or kept in
// DATA_DIR/connections/: public.pem, and worker/<key id>.pem (0600, in a 0700 folder) that the launcher
// never hands to the web server (scripts/child-env.ts).

const PEM_BLOCK = /-----BEGIN [A-Z ]+-----[\s\S]+?-----END [A-Z ]+-----/g;

const publicFile = (dir: string) => path.join(dir, 'public.pem');
const privateDir = (dir: string) => path.join(dir, 'worker');

/** The public key new data keys are sealed to, and its id. */
export function currentPublicKey(): { key: KeyObject; id: string } {
  const s = connectionKeySettings();
  const text =
    s.publicKey ??
    (s.publicKeyFile && readFileSync(s.publicKeyFile, 'utf8')) ??
    (existsSync(publicFile(s.dir)) ? readFileSync(publicFile(s.dir), 'utf8') : undefined);
  if (!text)
    throw new Error(
      'connections have no key pair: start the app with npm start (it makes one in DATA_DIR), or set CONNECTIONS_PUBLIC_KEY',
    );
  const key = publicKeyObject(text);
  return { key, id: keyId(key) };
}

/** Every private key this process may use, by key id: the environment's and DATA_DIR's (old and new during a rotation). */
export function privateKeys(): Map<string, KeyObject> {
  const s = connectionKeySettings();
  const texts: string[] = [];
  const add = (text: string) => texts.push(...(text.match(PEM_BLOCK) ?? [text]));
  if (s.privateKey) add(s.privateKey);
  if (s.privateKeyFile) add(readFileSync(s.privateKeyFile, 'utf8'));
  const dir = privateDir(s.dir);
  if (existsSync(dir))
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.pem')))
      add(readFileSync(path.join(dir, file), 'utf8'));
  const keys = new Map<string, KeyObject>();
  for (const text of texts) {
    const key = privateKeyObject(text);
    keys.set(keyId(createPublicKey(key)), key);
  }
  return keys;
}

/** Writes a new key pair into DATA_DIR/connections (the private half first, so a worker has it before anyone seals to it). */
export function writeKeyPair(dir = connectionKeySettings().dir): string {
  const pair = generateKeyPair();
  const id = keyId(pair.publicKey);
  mkdirSync(privateDir(dir), { recursive: true, mode: 0o700 });
  chmodSync(privateDir(dir), 0o700);
  writeFileSync(path.join(privateDir(dir), `${id}.pem`), pair.privateKey, { mode: 0o600 });
  const tmp = `${publicFile(dir)}.${process.pid}.tmp`;
  writeFileSync(tmp, pair.publicKey, { mode: 0o644 });
  renameSync(tmp, publicFile(dir));
  return id;
}

/** For the launcher: a key pair in DATA_DIR on first start, unless the environment gives the public key. */
export function ensureConnectionKeys(): void {
  const s = connectionKeySettings();
  if (s.publicKey || s.publicKeyFile || existsSync(publicFile(s.dir))) return;
  writeKeyPair(s.dir);
}

/** Deletes DATA_DIR's private keys other than `keep` (once a rotation re-wrapped every data key). */
export function removeOldPrivateKeys(keep: string): string[] {
  const dir = privateDir(connectionKeySettings().dir);
  if (!existsSync(dir)) return [];
  const removed = readdirSync(dir).filter((f) => f.endsWith('.pem') && f !== `${keep}.pem`);
  for (const file of removed) rmSync(path.join(dir, file));
  return removed.map((f) => f.replace(/\.pem$/, ''));
}
