import { isConnectionRef, type ConnectionRef } from '../../lib/validations/connection-ref';
import { db } from '../db';
import { AppError, type FieldError } from '../errors';

// Where a job's config names connections: a command job's env values, an HTTP job's URL and header
// values. Checked when the job is saved (who saves it must be allowed to use them) and resolved by the
// worker when a run starts (worker/connections.ts).

export interface RefAt {
  path: string;
  ref: ConnectionRef;
}

export function connectionRefs(type: string, config: unknown): RefAt[] {
  const c = (config ?? {}) as Record<string, unknown>;
  const found: RefAt[] = [];
  const inRecord = (record: unknown, at: string) => {
    if (!record || typeof record !== 'object') return;
    for (const [name, value] of Object.entries(record))
      if (isConnectionRef(value)) found.push({ path: `${at}.${name}`, ref: value });
  };
  if (type === 'command') inRecord(c.env, 'config.env');
  if (type === 'http') {
    if (isConnectionRef(c.url)) found.push({ path: 'config.url', ref: c.url });
    inRecord(c.headers, 'config.headers');
  }
  return found;
}

/**
 * The connections a job defined by `userId` may use, by name (null: the operator's CLI, shared ones
 * only). A personal connection of that user hides a shared one of the same name.
 */
export async function usableConnections(orgId: string, userId: string | null, names: string[]) {
  const rows = await db.connection.findMany({
    where: {
      orgId,
      name: { in: names },
      OR: [{ scope: 'shared' }, ...(userId ? [{ scope: 'personal' as const, ownerId: userId }] : [])],
    },
  });
  const byName = new Map<string, (typeof rows)[number]>();
  for (const row of rows) if (!byName.has(row.name) || row.scope === 'personal') byName.set(row.name, row);
  return byName;
}

/** Refuses, 422 with each field's path, references to connections or fields this author may not use. */
export async function assertConnectionRefs(
  orgId: string,
  userId: string | null,
  def: { type: string; config: unknown },
): Promise<void> {
  const refs = connectionRefs(def.type, def.config);
  if (refs.length === 0) return;
  const usable = await usableConnections(orgId, userId, [...new Set(refs.map((r) => r.ref.connection))]);
  const errors: FieldError[] = [];
  for (const { path, ref } of refs) {
    const row = usable.get(ref.connection);
    if (!row) {
      // Unknown and someone else's personal connection answer the same: neither is told apart.
      errors.push({
        path,
        message: `No connection named "${ref.connection}" that you may use (shared, or personal to you).`,
        rule: 'connection_not_usable',
      });
    } else if (!(ref.field in (row.fields as object)) && !(ref.field in (row.secrets as object))) {
      errors.push({
        path,
        message: `Connection "${ref.connection}" has no field "${ref.field}".`,
        rule: 'connection_field_unknown',
      });
    }
  }
  if (errors.length > 0) throw new AppError('validation_failed', errors[0].message, { errors });
}
