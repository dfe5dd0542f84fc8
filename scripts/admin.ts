// npm run admin -- <command>: administration against DATABASE_URL or the embedded database of DATA_DIR,
// whether or not the app is running.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { normaliseEmail } from '../lib/email';
import { dataDir } from '../server/config';
import { ensureSecretsEnv } from '../server/keys/keyring';
import { initLogger } from '../server/observability/logger';
import { openDatabase } from './db-target';

// Server code's log lines go to stderr: stdout is the command's answer (a token, JSON).
initLogger('cli');

const USAGE = `usage: npm run admin -- <command>

  org create <slug> [--name <name>]
  user create <email> --org <slug> --role <owner|admin|editor|viewer> --password <password> [--name <name>]
  job create --org <slug> --file <job.json>
  key create --org <slug> --owner <email> --name <app> --selector <uid> [--description <text>]
             [--type personal|functional] [--expires <ISO time>] [--jobs <id,id>]
             [--field <name>=<JSON or text>]... [--rate-limit <per minute; 0 = none>]
  key revoke <key id>
  webhook create --org <slug> --url <url> --events <event,event> [--jobs <id,id>] [--description <text>]
             events: run.succeeded, run.failed, run.cancelled, run.started, key.revoked
  member invite --org <slug> <email> [--role <role>]   (prints the single-use invitation link; default role editor)
  member role --org <slug> <email> --role <role>
  member remove --org <slug> <email>`;

class UsageError extends Error {}
const fail = (message: string): never => {
  throw new UsageError(message);
};

const ROLES = ['owner', 'admin', 'editor', 'viewer'] as const;

async function main(argv: string[]) {
  const [noun, verb, ...rest] = argv;
  if (!noun || noun === 'help' || noun === '--help') {
    console.log(USAGE);
    return;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      org: { type: 'string' },
      role: { type: 'string' },
      password: { type: 'string' },
      file: { type: 'string' },
      owner: { type: 'string' },
      selector: { type: 'string' },
      description: { type: 'string' },
      type: { type: 'string' },
      expires: { type: 'string' },
      jobs: { type: 'string' },
      field: { type: 'string', multiple: true },
      'rate-limit': { type: 'string' },
      url: { type: 'string' },
      events: { type: 'string' },
    },
  });
  const command = `${noun} ${verb ?? ''}`.trim();
  if (
    ![
      'org create',
      'user create',
      'job create',
      'key create',
      'key revoke',
      'webhook create',
      'member invite',
      'member role',
      'member remove',
    ].includes(command)
  )
    fail(`unknown command "${command}"`);

  const database = await openDatabase();
  try {
    // Imported only now: the database client reads DATABASE_URL when it loads.
    const { db } = await import('../server/db');
    const { AppError } = await import('../server/errors');
    const orgBySlug = async (slug: string | undefined) => {
      if (!slug) fail('--org <slug> is required');
      const org = await db.organization.findUnique({ where: { slug } });
      return org ?? fail(`no organisation "${slug}"`);
    };
    try {
      switch (command) {
        case 'org create': {
          const slug = positionals[0] ?? fail('give the organisation slug');
          if (!/^[a-z0-9][a-z0-9-]{1,39}$/.test(slug))
            fail('the slug is 2-40 lower-case letters, digits and -');
          if (await db.organization.findUnique({ where: { slug } }))
            fail(`organisation "${slug}" already exists`);
          const org = await db.organization.create({ data: { slug, name: values.name ?? slug } });
          console.log(JSON.stringify(org, null, 2));
          break;
        }
        case 'user create': {
          const email = normaliseEmail(positionals[0] ?? fail('give the email'));
          if (!/^[^\s@]+@[^\s@]+$/.test(email)) fail(`"${email}" is not an email address`);
          const org = await orgBySlug(values.org);
          const role = values.role as (typeof ROLES)[number];
          if (!ROLES.includes(role)) fail(`--role is one of ${ROLES.join(', ')}`);
          if (!values.password || values.password.length < 8)
            fail('--password of at least 8 characters is required');
          const { hashPassword } = await import('../server/auth/password');
          const user = await db.user.upsert({
            where: { email },
            create: { email, name: values.name ?? null, passwordHash: await hashPassword(values.password!) },
            update: {},
          });
          if (await db.membership.findUnique({ where: { orgId_userId: { orgId: org.id, userId: user.id } } }))
            fail(`${email} is already a member of ${org.slug}`);
          await db.membership.create({ data: { orgId: org.id, userId: user.id, role } });
          console.log(JSON.stringify({ id: user.id, email, org: org.slug, role }, null, 2));
          break;
        }
        case 'job create': {
          const org = await orgBySlug(values.org);
          if (!values.file) fail('--file <job.json> is required');
          let definition: unknown;
          try {
            definition = JSON.parse(readFileSync(values.file!, 'utf8'));
          } catch (error) {
            fail(`cannot read ${values.file} as JSON: ${(error as Error).message}`);
          }
          const { createJob } = await import('../server/jobs/create-job');
          const job = await createJob(
            org.id,
            definition,
            { actor: 'system', actorName: 'admin CLI' },
            'operator',
          );
          console.log(JSON.stringify(job, null, 2));
          break;
        }
        case 'key create': {
          ensureSecretsEnv(dataDir());
          const org = await orgBySlug(values.org);
          if (!values.owner) fail('--owner <email> is required');
          const owner = await db.user.findUnique({ where: { email: normaliseEmail(values.owner!) } });
          const membership =
            owner &&
            (await db.membership.findUnique({
              where: { orgId_userId: { orgId: org.id, userId: owner.id } },
            }));
          if (!owner || !membership) fail(`${values.owner} is not a member of ${org.slug}`);
          const fields = (values.field ?? []).map((pair) => {
            const eq = pair.indexOf('=');
            if (eq < 1) fail(`--field ${pair}: use <name>=<value>`);
            return { name: pair.slice(0, eq), value: pair.slice(eq + 1) };
          });
          let rateLimit: number | null = null;
          if (values['rate-limit'] !== undefined) {
            rateLimit = Number(values['rate-limit']);
            if (!Number.isInteger(rateLimit) || rateLimit < 0)
              fail('--rate-limit is a whole number of requests a minute (0 = none)');
          }
          const jobIds = values.jobs
            ? values.jobs
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean)
            : [];
          const { createApiKey } = await import('../server/keys/create-key');
          const actor = {
            kind: 'user' as const,
            userId: owner!.id,
            email: 'admin CLI',
            name: 'admin CLI',
            orgId: org.id,
            orgSlug: org.slug,
            role: 'owner' as const,
          };
          const created = await createApiKey(actor, {
            name: values.name ?? fail('--name <app> is required'),
            selector: values.selector ?? fail('--selector <uid> is required'),
            description: values.description ?? '',
            type: (values.type ?? 'functional') as 'personal' | 'functional',
            expires: values.expires ? 'date' : 'never',
            expiresAt: values.expires ?? '',
            jobScope: jobIds.length ? 'chosen' : 'all',
            jobIds,
            fields,
            rateLimit,
          });
          console.error(
            `created key ${created.id} for ${org.slug}; the token follows (it is not stored: keep it now)`,
          );
          console.log(created.token);
          break;
        }
        case 'member invite':
        case 'member role':
        case 'member remove': {
          const org = await orgBySlug(values.org);
          const email = normaliseEmail(positionals[0] ?? fail('give the email'));
          const actor = { kind: 'system' as const, orgId: org.id, orgSlug: org.slug };
          if (command === 'member invite') {
            const { inviteMember, invitationPath } = await import('../server/members/invitations');
            const role = (values.role ?? 'editor') as (typeof ROLES)[number];
            const { token, expiresAt } = await inviteMember(actor, { email, role });
            const origin = (process.env.PUBLIC_URL ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(
              /\/+$/,
              '',
            );
            console.error(
              `invited ${email} to ${org.slug} as ${role}, until ${expiresAt.toISOString()}; pass on this link (it works once):`,
            );
            console.log(`${origin}${invitationPath(token)}`);
            break;
          }
          const user = await db.user.findUnique({ where: { email } });
          const member =
            user &&
            (await db.membership.findUnique({ where: { orgId_userId: { orgId: org.id, userId: user.id } } }));
          if (!user || !member) fail(`${email} is not a member of ${org.slug}`);
          if (command === 'member role') {
            const { changeMemberRole } = await import('../server/members/change-role');
            await changeMemberRole(actor, {
              userId: user!.id,
              role: (values.role ?? fail('--role is required')) as (typeof ROLES)[number],
            });
            console.log(`${email} is now ${values.role} of ${org.slug}`);
          } else {
            const { removeMember } = await import('../server/members/remove-member');
            await removeMember(actor, user!.id);
            console.log(`${email} removed from ${org.slug}`);
          }
          break;
        }
        case 'key revoke': {
          const id = positionals[0] ?? fail('give the key id');
          const { revokeApiKey } = await import('../server/keys/revoke-key');
          const result = await revokeApiKey({ kind: 'system' }, id);
          console.log(result.alreadyRevoked ? `key ${id} was already revoked` : `key ${id} revoked`);
          break;
        }
        case 'webhook create': {
          const org = await orgBySlug(values.org);
          const list = (text: string | undefined) =>
            text
              ? text
                  .split(',')
                  .map((v) => v.trim())
                  .filter(Boolean)
              : [];
          const { createWebhookEndpoint } = await import('../server/webhooks/create-endpoint');
          const created = await createWebhookEndpoint(
            { kind: 'system', orgId: org.id },
            {
              url: values.url ?? fail('--url <url> is required'),
              events: list(values.events ?? fail('--events <event,event> is required')),
              jobIds: list(values.jobs),
              description: values.description ?? '',
            },
          );
          console.error(
            `created webhook endpoint ${created.id} for ${org.slug}; its signing secret follows (shown once: keep it now)`,
          );
          console.log(created.secret);
          break;
        }
      }
    } catch (error) {
      if (error instanceof AppError) {
        const details =
          error.errors?.map((e) => `\n  ${e.path}: ${e.message}${e.rule ? ` (${e.rule})` : ''}`).join('') ??
          '';
        throw new UsageError(`${error.message}${details}`);
      }
      throw error;
    } finally {
      await db.$disconnect();
      const { pool } = await import('../server/db');
      await pool.end().catch(() => {});
    }
  } finally {
    await database.stop();
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error) => {
    if (error instanceof UsageError || String(error?.code).startsWith('ERR_PARSE_ARGS')) {
      console.error(`error: ${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    console.error(`error: ${(error as Error).message}`);
    process.exit(1);
  },
);
