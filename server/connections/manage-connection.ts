import { randomUUID } from 'node:crypto';
import {
  CONNECTION_TYPES,
  createConnectionSchema,
  replaceConnectionSchema,
  type FieldSpec,
} from '../../lib/validations/connection';
import { isUuid } from '../../lib/validations/ids';
import { recordAudit } from '../audit/record';
import { db, type Prisma } from '../db';
import { AppError, fieldErrors } from '../errors';
import { actorUserId, assertMayChange, visibleWhere, whoDid, type ConnectionActor } from './access';
import { seal } from './crypto';
import { fieldContext, orgPublicKey } from './org-key';
import { publicConnection, type PublicConnection } from './public-connection';

// Creating, replacing and deleting connections. Secret values are sealed here, in the web server, to the
// organisation's public data key and never come back out of this module (nor into audit details).

/** A date alone means "valid through that day" (UTC). */
export function expiryDate(value: string | undefined): Date | null | undefined {
  if (value === undefined) return undefined;
  if (value === '') return null;
  return new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T23:59:59.999Z` : value);
}

function invalid(issues: Parameters<typeof fieldErrors>[0]): never {
  throw new AppError('validation_failed', 'The connection is not valid', { errors: fieldErrors(issues) });
}

async function findVisible(actor: ConnectionActor, id: string) {
  const row = isUuid(id)
    ? await db.connection.findFirst({ where: { ...visibleWhere(actor), id: id.toLowerCase() } })
    : null;
  if (!row) throw new AppError('not_found', 'No such connection in this organisation');
  return row;
}

/** A connection by id or name, as this actor may see it (their personal one first). */
export async function findConnection(actor: ConnectionActor, idOrName: string) {
  if (isUuid(idOrName)) return findVisible(actor, idOrName);
  const rows = await db.connection.findMany({ where: { ...visibleWhere(actor), name: idOrName } });
  const row = rows.find((r) => r.scope === 'personal') ?? rows[0];
  if (!row) throw new AppError('not_found', 'No such connection in this organisation');
  return row;
}

export async function createConnection(
  actor: ConnectionActor,
  input: unknown,
  owner?: string,
): Promise<PublicConnection> {
  const parsed = createConnectionSchema.safeParse(input);
  if (!parsed.success) invalid(parsed.error.issues);
  const c = parsed.data;
  assertMayChange(actor, { scope: 'shared', ownerId: '' });
  const ownerId = actorUserId(actor) ?? owner ?? null;
  if (!ownerId && c.scope === 'personal')
    throw new AppError('validation_failed', 'A connection made by the operator needs an owner (--owner)', {
      errors: [{ path: 'owner', message: 'Give the email of a member' }],
    });
  const specs: FieldSpec[] = CONNECTION_TYPES[c.type].fields;
  const isSecret = (f: { name: string; secret: boolean }) =>
    specs.length ? specs.find((s) => s.name === f.name)!.secret : f.secret;
  const id = randomUUID();
  const key = await orgPublicKey(actor.orgId);
  const fields: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  for (const f of c.fields) {
    if (f.value === '') continue; // an optional field left empty
    if (isSecret(f)) secrets[f.name] = seal(key, f.value, fieldContext(actor.orgId, id, f.name));
    else fields[f.name] = f.value;
  }
  try {
    const row = await db.$transaction(async (tx) => {
      const created = await tx.connection.create({
        data: {
          id,
          orgId: actor.orgId,
          name: c.name,
          type: c.type,
          scope: c.scope,
          ownerId,
          scopeKey: c.scope === 'personal' && ownerId ? ownerId : 'shared',
          description: c.description || null,
          fields,
          secrets,
          expiresAt: expiryDate(c.expiresAt),
        },
      });
      await recordAudit(
        {
          orgId: actor.orgId,
          ...whoDid(actor),
          action: 'connection.created',
          target: `connection:${id}`,
          details: {
            name: c.name,
            type: c.type,
            scope: c.scope,
            fields: Object.keys({ ...fields, ...secrets }),
          },
        },
        tx,
      );
      return created;
    });
    return publicConnection(row, actor);
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002')
      throw new AppError('conflict', `A ${c.scope} connection named "${c.name}" already exists`, {
        errors: [{ path: 'name', message: 'Already used' }],
      });
    throw error;
  }
}

/** Gives some fields new values (a secret is sealed anew, never read) and, when given, a new expiry. */
export async function replaceConnectionFields(
  actor: ConnectionActor,
  id: string,
  input: unknown,
): Promise<PublicConnection> {
  const parsed = replaceConnectionSchema.safeParse(input);
  if (!parsed.success) invalid(parsed.error.issues);
  const row = await findConnection(actor, id);
  assertMayChange(actor, row);
  const fields = { ...(row.fields as Record<string, string>) };
  const secrets = { ...(row.secrets as Record<string, string>) };
  const key = await orgPublicKey(actor.orgId);
  parsed.data.fields.forEach((f, i) => {
    if (f.name in secrets) secrets[f.name] = seal(key, f.value, fieldContext(actor.orgId, row.id, f.name));
    else if (f.name in fields) fields[f.name] = f.value;
    else
      throw new AppError('validation_failed', `"${row.name}" has no field "${f.name}"`, {
        errors: [{ path: `fields.${i}.name`, message: 'Not a field of this connection' }],
      });
  });
  const updated = await db.$transaction(async (tx) => {
    const saved = await tx.connection.update({
      where: { id: row.id },
      data: { fields, secrets, expiresAt: expiryDate(parsed.data.expiresAt) },
    });
    await recordAudit(
      {
        orgId: actor.orgId,
        ...whoDid(actor),
        action: 'connection.replaced',
        target: `connection:${row.id}`,
        details: {
          name: row.name,
          fields: parsed.data.fields.map((f) => f.name),
          ...(parsed.data.expiresAt !== undefined
            ? { expiresAt: saved.expiresAt?.toISOString() ?? null }
            : {}),
        } as Prisma.InputJsonValue,
      },
      tx,
    );
    return saved;
  });
  return publicConnection(updated, actor);
}

export async function deleteConnection(actor: ConnectionActor, id: string): Promise<void> {
  const row = await findConnection(actor, id);
  assertMayChange(actor, row);
  await db.$transaction(async (tx) => {
    await tx.connection.delete({ where: { id: row.id } });
    await recordAudit(
      {
        orgId: actor.orgId,
        ...whoDid(actor),
        action: 'connection.deleted',
        target: `connection:${row.id}`,
        details: { name: row.name, scope: row.scope },
      },
      tx,
    );
  });
}

export async function listConnections(actor: ConnectionActor): Promise<PublicConnection[]> {
  const rows = await db.connection.findMany({
    where: visibleWhere(actor),
    orderBy: [{ name: 'asc' }, { scope: 'asc' }],
    take: 500,
  });
  return rows.map((row) => publicConnection(row, actor));
}
