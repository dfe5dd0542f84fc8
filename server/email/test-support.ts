// For tests only: the mails the outbox (DATA_DIR/outbox) holds for an address, and the links in them.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** The mails to `to`, oldest first, as text with quoted-printable soft line breaks undone. */
export async function outboxMailsTo(dataDir: string, to: string): Promise<string[]> {
  const folder = path.join(dataDir, 'outbox');
  const files = (await readdir(folder).catch(() => [] as string[])).sort();
  const texts = await Promise.all(files.map((f) => readFile(path.join(folder, f), 'utf8')));
  const toLine = new RegExp(`^To: ${to.replace(/[.+]/g, '\\$&')}$`, 'im');
  return texts.filter((t) => toLine.test(t)).map((t) => t.replace(/=\r?\n/g, '').replace(/=3D/g, '='));
}

/** The token of the newest link `/<route>/<token>` mailed to `to`. */
export async function lastTokenTo(dataDir: string, to: string, route: string): Promise<string> {
  const mails = await outboxMailsTo(dataDir, to);
  const token = mails.at(-1)?.match(new RegExp(`/${route}/([A-Za-z0-9_-]{20,})`))?.[1];
  if (!token) throw new Error(`no /${route}/ link mailed to ${to}`);
  return token;
}
