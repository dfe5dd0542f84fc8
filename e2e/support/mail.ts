import { expect } from '@playwright/test';
import path from 'node:path';
import { outboxMailsTo } from '../../server/email/test-support';
import { E2E_DATA_DIR, ROOT } from './env';

// The app runs without SMTP_URL in the e2e run: its mail is in .data-e2e/outbox, one .eml file a message.

const dataDir = () => path.join(ROOT, E2E_DATA_DIR);

/** Waits for the `count`-th mail to `to` (1 = the first) and returns it as text. */
export async function waitForMail(to: string, count = 1): Promise<string> {
  let mails: string[] = [];
  await expect
    .poll(async () => (mails = await outboxMailsTo(dataDir(), to)).length, { message: `mail to ${to}` })
    .toBeGreaterThanOrEqual(count);
  return mails[count - 1];
}

/** The absolute link `/<route>/<token>` in a mail. */
export function linkIn(mail: string, route: string): string {
  const link = mail.match(new RegExp(`https?://[^\\s"<>]+/${route}/[A-Za-z0-9_-]{20,}`))?.[0];
  if (!link) throw new Error(`no /${route}/ link in the mail:\n${mail}`);
  return link;
}
