import { randomBytes } from 'node:crypto';
import { hashPassword } from '../server/auth/password';
import { db } from '../server/db';
import { createJob } from '../server/jobs/create-job';

const SYSTEM = { actor: 'system', actorName: 'seed' };

/** Inline Node scripts: the sample jobs run anywhere `node` is on the PATH, with no files to ship. */
export const SAMPLE_JOBS = [
  {
    name: 'hello-world',
    description: 'Prints "hello, <params.name or world>" and succeeds.',
    type: 'command' as const,
    config: {
      command: 'node',
      args: [
        '-e',
        "const p = JSON.parse(process.env.JOB_PARAMS || '{}'); console.log('hello, ' + (p.name ?? 'world'));",
      ],
      env: {},
    },
    concurrency: 'parallel' as const,
    timeoutSeconds: 60,
    paramsSchema: {
      type: 'object',
      properties: { name: { type: 'string', maxLength: 200 } },
      additionalProperties: false,
    },
  },
  {
    name: 'countdown',
    description: 'Prints one line a second from params.seconds (default 10) down to 1, then succeeds.',
    type: 'command' as const,
    config: {
      command: 'node',
      args: [
        '-e',
        "const p = JSON.parse(process.env.JOB_PARAMS || '{}'); let n = Number(p.seconds ?? 10); const tick = () => { if (n < 1) return; console.log(String(n)); n -= 1; if (n >= 1) setTimeout(tick, 1000); }; tick();",
      ],
      env: {},
    },
    timeoutSeconds: 600,
    paramsSchema: {
      type: 'object',
      properties: { seconds: { type: 'integer', minimum: 1, maximum: 3600 } },
      additionalProperties: false,
    },
  },
  {
    name: 'always-fails',
    description: 'Prints an error to stderr and exits with code 1.',
    type: 'command' as const,
    config: {
      command: 'node',
      args: ['-e', "console.error('error: this job always fails'); process.exit(1);"],
      env: {},
    },
    timeoutSeconds: 60,
  },
];

export type SeedResult =
  | { seeded: false }
  | {
      seeded: true;
      email: string;
      /** Only when it was generated: shown once (scripts/first-start-password.ts), never stored in clear. */
      generatedPassword?: string;
    };

/** First start on an empty database: organisation "demo", its owner and three sample jobs. */
export async function seedIfEmpty(): Promise<SeedResult> {
  if ((await db.organization.count()) > 0) return { seeded: false };
  const email = (process.env.ADMIN_EMAIL ?? 'admin@example.com').trim().toLowerCase();
  const generatedPassword = process.env.ADMIN_PASSWORD ? undefined : randomBytes(12).toString('base64url');
  const password = process.env.ADMIN_PASSWORD ?? generatedPassword!;
  // The first organisation keeps the operator's command grant, so the sample command jobs run.
  const org = await db.organization.create({
    data: { slug: 'demo', name: 'Demo', commandJobsRole: 'admin' },
  });
  const user = await db.user.create({
    data: { email, name: 'Admin', passwordHash: await hashPassword(password), emailVerifiedAt: new Date() },
  });
  await db.membership.create({ data: { orgId: org.id, userId: user.id, role: 'owner' } });
  for (const job of SAMPLE_JOBS) await createJob(org.id, job, SYSTEM, 'operator');
  return { seeded: true, email, generatedPassword };
}
