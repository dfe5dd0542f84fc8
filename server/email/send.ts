import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { appSettings, dataDir } from '../config';
import { logger } from '../observability/logger';
import { processWide } from '../runtime/process-wide';
import type { Mail } from './templates';

// The product's one way to send mail. With SMTP_URL, through that server (nodemailer); without it, each
// message is written as an .eml file (mode 0600) to DATA_DIR/outbox, which the operator reads (any mail
// program opens .eml files), so every flow works on a machine without a mail server.

/** Where mail goes without SMTP_URL. */
export function outboxDir(): string {
  return path.join(dataDir(), 'outbox');
}

interface Sender {
  transport: Transporter;
  toOutbox: boolean;
  told: boolean;
}

const sender = (smtpUrl = appSettings().smtpUrl) =>
  processWide(`email-sender:${smtpUrl ?? 'outbox'}`, (): Sender => {
    return smtpUrl
      ? { transport: nodemailer.createTransport(smtpUrl), toOutbox: false, told: true }
      : {
          // Builds the whole message (headers, text and HTML parts) without sending it anywhere.
          transport: nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' }),
          toOutbox: true,
          told: false,
        };
  });

/** Sends one message (to one address, or several who see each other); throws when the SMTP server refuses it. */
export async function sendMail(to: string | string[], mail: Mail): Promise<void> {
  const s = sender();
  const info = await s.transport.sendMail({
    from: appSettings().emailFrom,
    to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
  });
  if (!s.toOutbox) return;
  const dir = outboxDir();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = path.join(
    dir,
    `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}.eml`,
  );
  await writeFile(file, info.message as Buffer, { mode: 0o600, flag: 'wx' });
  if (!s.told) {
    s.told = true;
    logger().info({ outbox: dir }, `no SMTP_URL: mail is written to ${dir} (one .eml file a message)`);
  }
}
