// The admin CLI's connection commands (docs/connections.md). Secret values never reach stdout.
import { readFileSync } from 'node:fs';
import { normaliseEmail } from '../lib/email';
import type { CommandContext } from './admin-commands';
import { fail } from './admin-commands';

const operator = (orgId: string) => ({ kind: 'operator' as const, orgId });

/** name=value, or name=@path to read the value from a file (keeps it out of shell history). */
function fieldArgs(values: CommandContext['values']) {
  const secret = new Set(
    String(values.secret ?? '')
      .split(',')
      .filter(Boolean),
  );
  return (values.field ?? []).map((arg) => {
    const at = arg.indexOf('=');
    if (at < 1) fail(`--field ${arg}: give name=value or name=@file`);
    const name = arg.slice(0, at);
    const raw = arg.slice(at + 1);
    const value = raw.startsWith('@') ? readFileSync(raw.slice(1), 'utf8').replace(/\n$/, '') : raw;
    return { name, value, secret: values.secret === undefined ? true : secret.has(name) };
  });
}

async function connectionList({ values, orgBySlug }: CommandContext) {
  const org = await orgBySlug(values.org);
  const { listConnections } = await import('../server/connections/manage-connection');
  console.log(JSON.stringify(await listConnections(operator(org.id)), null, 2));
}

async function connectionCreate({ values, db, orgBySlug }: CommandContext) {
  const org = await orgBySlug(values.org);
  const { createConnection } = await import('../server/connections/manage-connection');
  let ownerId: string | undefined;
  if (values.owner) {
    const user = await db.user.findUnique({ where: { email: normaliseEmail(values.owner) } });
    const member = user && (await db.membership.findFirst({ where: { orgId: org.id, userId: user.id } }));
    ownerId = member ? user.id : fail(`${values.owner} is not a member of ${org.slug}`);
  }
  const created = await createConnection(
    operator(org.id),
    {
      name: values.name,
      type: values.type ?? 'generic',
      scope: values.scope ?? 'shared',
      description: values.description ?? '',
      expiresAt: values.expires ?? '',
      fields: fieldArgs(values),
    },
    ownerId,
  );
  console.log(JSON.stringify(created, null, 2));
}

async function connectionDelete({ values, positionals, orgBySlug }: CommandContext) {
  const org = await orgBySlug(values.org);
  const name = positionals[0] ?? fail('give the connection name or id');
  const { deleteConnection } = await import('../server/connections/manage-connection');
  await deleteConnection(operator(org.id), name);
  console.log(`deleted connection ${name} of ${org.slug}`);
}

async function connectionRotateKey() {
  const { rotateConnectionKeys } = await import('../server/connections/rotate-key');
  const { keyId, rewrapped, retired } = await rotateConnectionKeys();
  console.log(
    `connections key ${keyId} in use; ${rewrapped} organisation data key(s) re-wrapped; retired: ${retired.join(', ') || 'none'}`,
  );
}

export const CONNECTION_COMMANDS: Record<string, (context: CommandContext) => Promise<void>> = {
  'connection list': connectionList,
  'connection create': connectionCreate,
  'connection delete': connectionDelete,
  'connection rotate-key': connectionRotateKey,
};
