// For tests only: the mails the outbox (DATA_DIR/outbox) holds for an address, and the links in them.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** Quoted-printable undone (soft line breaks and =XX bytes), read as UTF-8. */
function decodeQuotedPrintable(text: string): string {
  const bytes = text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** The HTML part of a mail (as outboxMailsTo gives it). */
export function htmlPartOf(mail: string): string {
  const part = mail.split(/\r?\n--/).find((p) => /^Content-Type: text\/html/im.test(p)) ?? '';
  return part.slice(part.search(/\r?\n\r?\n/)).trim();
}

/** The mails to `to`, oldest first, as text with quoted-printable undone. */
export async function outboxMailsTo(dataDir: string, to: string): Promise<string[]> {
  const folder = path.join(dataDir, 'outbox');
  const files = (await readdir(folder).catch(() => [] as string[])).sort();
  const texts = await Promise.all(files.map((f) => readFile(path.join(folder, f), 'utf8')));
  const toLine = new RegExp(`^To: ${to.replace(/[.+]/g, '\\$&')}$`, 'im');
  return texts.filter((t) => toLine.test(t)).map(decodeQuotedPrintable);
}

/** The token of the newest link `/<route>/<token>` mailed to `to`. */
export async function lastTokenTo(dataDir: string, to: string, route: string): Promise<string> {
  const mails = await outboxMailsTo(dataDir, to);
  const token = mails.at(-1)?.match(new RegExp(`/${route}/([A-Za-z0-9_-]{20,})`))?.[1];
  if (!token) throw new Error(`no /${route}/ link mailed to ${to}`);
  return token;
}
