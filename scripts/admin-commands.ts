// The admin CLI's commands (scripts/admin.ts parses the arguments and opens the database).
import { readFileSync } from 'node:fs';
import { normaliseEmail } from '../lib/email';
import { ROLES } from '../lib/validations/member';
import { dataDir } from '../server/config';
import type { db as Db } from '../server/db';
import { ensureSecretsEnv } from '../server/keys/keyring';
import { CONNECTION_COMMANDS } from './admin-connections';
import { readPassword } from './admin-password';

export class UsageError extends Error {}
export const fail = (message: string): never => {
  throw new UsageError(message);
};

type Organization = NonNullable<Awaited<ReturnType<typeof Db.organization.findUnique>>>;

/** What a command gets: its arguments, the database and a way to find an organisation. */
export interface CommandContext {
  command: string;
  values: {
    [name: string]: string | boolean | undefined | string[];
    field?: string[];
  } & Partial<
    Record<
      | 'name'
      | 'org'
      | 'role'
      | 'password'
      | 'file'
      | 'owner'
      | 'selector'
      | 'description'
      | 'type'
      | 'expires'
      | 'jobs'
      | 'rate-limit'
      | 'url'
      | 'events'
      | 'scope'
      | 'secret',
      string
    >
  > & { 'password-stdin'?: boolean; 'sso-only'?: boolean };
  positionals: string[];
  db: typeof Db;
  orgBySlug: (slug: string | undefined) => Promise<Organization>;
}

async function orgCreate({ values, positionals, db }: CommandContext): Promise<void> {
  const slug = positionals[0] ?? fail('give the organisation slug');
  if (!/^[a-z0-9][a-z0-9-]{1,39}$/.test(slug)) fail('the slug is 2-40 lower-case letters, digits and -');
  if (await db.organization.findUnique({ where: { slug } })) fail(`organisation "${slug}" already exists`);
  const org = await db.organization.create({ data: { slug, name: values.name ?? slug } });
  console.log(JSON.stringify(org, null, 2));
}

/** The operator's command grant: `org grant-commands <slug> [--role admin]`, `org revoke-commands <slug>`. */
async function orgCommandGrant({ command, values, positionals, orgBySlug }: CommandContext): Promise<void> {
  const org = await orgBySlug(positionals[0] ?? fail('give the organisation slug'));
  const { grantCommandJobs } = await import('../server/members/command-grant');
  if (command === 'org revoke-commands') {
    await grantCommandJobs(org.id, null);
    console.log(`${org.slug} may no longer define or run command jobs (queued command runs will fail)`);
    return;
  }
  const role = (values.role ?? 'admin') as (typeof ROLES)[number];
  if (!ROLES.includes(role)) fail(`--role is one of ${ROLES.join(', ')}`);
  await grantCommandJobs(org.id, role);
  const { commandJobsMode } = await import('../server/jobs/job-policy');
  const mode = commandJobsMode();
  const note =
    mode === 'off'
      ? ' (but COMMAND_JOBS=off turns command jobs off on this server)'
      : mode === 'admins' && role === 'editor'
        ? ' (COMMAND_JOBS=admins still keeps editors out: set COMMAND_JOBS=editors to let them)'
        : '';
  console.log(`${org.slug} may define and run command jobs: members with the role ${role} and up${note}`);
}

const roleOf = (value: string | undefined): (typeof ROLES)[number] => {
  const role = value as (typeof ROLES)[number];
  if (!ROLES.includes(role)) fail(`--role is one of ${ROLES.join(', ')}`);
  return role;
};

/**
 * A new account, proven by the operator, and its membership. Fails on an existing account: it never
 * keeps or changes someone's password (`member add` and `user reset-password` do that, explicitly).
 */
async function userCreate({ values, positionals, db, orgBySlug }: CommandContext): Promise<void> {
  const email = normaliseEmail(positionals[0] ?? fail('give the email'));
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) fail(`"${email}" is not an email address`);
  const org = await orgBySlug(values.org);
  const role = roleOf(values.role);
  if (await db.user.findUnique({ where: { email }, select: { id: true } }))
    fail(
      `${email} already has an account; nothing was changed. Add it to ${org.slug} with "member add", or give it a new password with "user reset-password"`,
    );
  const { hashPassword } = await import('../server/auth/password');
  const { NO_PASSWORD } = await import('../server/auth/oidc');
  const passwordHash = values['sso-only'] ? NO_PASSWORD : await hashPassword(await readPassword(values));
  const user = await db.$transaction(async (tx) => {
    const created = await tx.user.create({
      data: { email, name: values.name ?? null, passwordHash, emailVerifiedAt: new Date() },
    });
    await tx.membership.create({ data: { orgId: org.id, userId: created.id, role } });
    return created;
  });
  console.log(JSON.stringify({ id: user.id, email, org: org.slug, role }, null, 2));
}

/** Sets a new password on an existing account (the operator hands it over): the address counts as proven. */
async function userResetPassword({ values, positionals, db }: CommandContext): Promise<void> {
  const email = normaliseEmail(positionals[0] ?? fail('give the email'));
  const user = (await db.user.findUnique({ where: { email } })) ?? fail(`no account for ${email}`);
  const { hashPassword } = await import('../server/auth/password');
  const passwordHash = await hashPassword(await readPassword(values));
  await db.user.update({
    where: { id: user.id },
    data: { passwordHash, emailVerifiedAt: user.emailVerifiedAt ?? new Date() },
  });
  const { endUserSessions } = await import('../server/auth/user-session');
  const ended = await endUserSessions(user.id);
  console.log(`${email} has a new password; ${ended} session(s) signed out`);
}

async function jobCreate({ values, orgBySlug }: CommandContext): Promise<void> {
  const org = await orgBySlug(values.org);
  if (!values.file) fail('--file <job.json> is required');
  let definition: unknown;
  try {
    definition = JSON.parse(readFileSync(values.file!, 'utf8'));
  } catch (error) {
    fail(`cannot read ${values.file} as JSON: ${(error as Error).message}`);
  }
  const { createJob } = await import('../server/jobs/create-job');
  const job = await createJob(org.id, definition, { actor: 'system', actorName: 'admin CLI' }, 'operator');
  console.log(JSON.stringify(job, null, 2));
}

async function keyCreate({ values, db, orgBySlug }: CommandContext): Promise<void> {
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
}

async function member({ command, values, positionals, db, orgBySlug }: CommandContext): Promise<void> {
  const org = await orgBySlug(values.org);
  const email = normaliseEmail(positionals[0] ?? fail('give the email'));
  const actor = { kind: 'system' as const, orgId: org.id, orgSlug: org.slug };
  if (command === 'member invite') {
    const { inviteMember } = await import('../server/members/invitations');
    const { publicUrl } = await import('../server/config');
    const role = (values.role ?? 'editor') as (typeof ROLES)[number];
    const { link, expiresAt } = await inviteMember(actor, { email, role }, publicUrl());
    console.error(
      `invited ${email} to ${org.slug} as ${role}, until ${expiresAt.toISOString()}; the link was mailed to them, and follows (it works once):`,
    );
    console.log(link);
    return;
  }
  const user = await db.user.findUnique({ where: { email } });
  if (command === 'member add') {
    if (!user)
      fail(`no account for ${email}: create it with "user create", or invite them with "member invite"`);
    if (!user!.emailVerifiedAt)
      fail(
        `the address of ${email} is not proven (the account may have been made by someone else): invite them with "member invite" (the mailed link proves it), or set its password with "user reset-password" and hand it over`,
      );
    if (await db.membership.findUnique({ where: { orgId_userId: { orgId: org.id, userId: user!.id } } }))
      fail(`${email} is already a member of ${org.slug}`);
    const role = roleOf(values.role);
    await db.membership.create({ data: { orgId: org.id, userId: user!.id, role } });
    console.log(`${email} added to ${org.slug} as ${role}`);
    return;
  }
  const member =
    user && (await db.membership.findUnique({ where: { orgId_userId: { orgId: org.id, userId: user.id } } }));
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
}

async function keyRevoke({ positionals }: CommandContext): Promise<void> {
  const id = positionals[0] ?? fail('give the key id');
  const { revokeApiKey } = await import('../server/keys/revoke-key');
  const result = await revokeApiKey({ kind: 'system' }, id);
  console.log(result.alreadyRevoked ? `key ${id} was already revoked` : `key ${id} revoked`);
}

async function webhookCreate({ values, orgBySlug }: CommandContext): Promise<void> {
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
}

/** The commands by name. */
export const COMMANDS: Record<string, (context: CommandContext) => Promise<void>> = {
  'org create': orgCreate,
  'org grant-commands': orgCommandGrant,
  'org revoke-commands': orgCommandGrant,
  'user create': userCreate,
  'user reset-password': userResetPassword,
  'job create': jobCreate,
  'key create': keyCreate,
  'key revoke': keyRevoke,
  'webhook create': webhookCreate,
  'member invite': member,
  'member add': member,
  'member role': member,
  'member remove': member,
  ...CONNECTION_COMMANDS,
};
