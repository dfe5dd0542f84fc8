// Mail through a real SMTP server on loopback (the smtp-server package), and to the outbox without one.
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sendMail } from './send';
import { invitationMail, passwordResetMail } from './templates';

let dir: string;
let server: SMTPServer;
const received: { from: string; to: string[]; raw: string }[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'email-test-'));
  process.env.DATA_DIR = dir;
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  delete process.env.SMTP_URL;
  delete process.env.EMAIL_FROM;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

const mail = invitationMail({
  orgName: 'Acme <Ops>',
  role: 'editor',
  inviter: 'ada@acme.test',
  link: 'http://localhost:3000/invite/abc',
  expiresAt: new Date('2030-01-01T00:00:00Z'),
});

describe('sendMail', () => {
  test('with SMTP_URL: one message to the SMTP server, from EMAIL_FROM, with a text and an HTML part', async () => {
    process.env.SMTP_URL = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
    process.env.EMAIL_FROM = 'ETL <etl@acme.test>';
    await sendMail('grace@acme.test', mail);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ from: 'etl@acme.test', to: ['grace@acme.test'] });
    expect(received[0].raw).toMatch(/^Subject: You are invited to Acme <Ops>$/m);
    expect(received[0].raw).toContain('text/plain');
    expect(received[0].raw).toContain('text/html');
    // The organisation's name is escaped in the HTML part.
    expect(received[0].raw).toContain('Acme &lt;Ops&gt;');
    await expect(readdir(path.join(dir, 'outbox'))).rejects.toThrow();
  });

  test('without SMTP_URL: one .eml file a message in DATA_DIR/outbox, readable by the owner only', async () => {
    delete process.env.SMTP_URL;
    await sendMail('grace@acme.test', mail);
    await sendMail(
      'nova@new.test',
      passwordResetMail({ link: 'http://localhost:3000/reset/xyz', minutes: 30 }),
    );
    const files = (await readdir(path.join(dir, 'outbox'))).sort();
    expect(files).toHaveLength(2);
    for (const file of files) {
      expect(file).toMatch(/\.eml$/);
      expect((await stat(path.join(dir, 'outbox', file))).mode & 0o777).toBe(0o600);
    }
    const texts = await Promise.all(files.map((f) => readFile(path.join(dir, 'outbox', f), 'utf8')));
    expect(texts.find((t) => t.includes('To: nova@new.test'))).toMatch(/Subject: Choose a new password/);
    expect(texts.find((t) => t.includes('To: grace@acme.test'))).toContain(
      'http://localhost:3000/invite/abc',
    );
  });
});
