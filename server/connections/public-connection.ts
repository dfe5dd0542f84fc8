import {
  CONNECTION_TYPES,
  type ConnectionType,
  type PublicConnection,
} from '../../lib/validations/connection';

export type { PublicConnection };
import type { Connection } from '../db';
import { seesValues, type ConnectionActor } from './access';

/** Days before its expiry when a connection is shown as expiring. */
export const EXPIRY_WARNING_DAYS = 14;

export function connectionStatus(expiresAt: Date | null, now = new Date()): PublicConnection['status'] {
  if (!expiresAt) return 'active';
  if (expiresAt <= now) return 'expired';
  return expiresAt.getTime() - now.getTime() < EXPIRY_WARNING_DAYS * 86_400_000 ? 'expiring' : 'active';
}

export function publicConnection(row: Connection, actor: ConnectionActor): PublicConnection {
  const plain = row.fields as Record<string, string>;
  const sealed = row.secrets as Record<string, string>;
  const values = seesValues(actor);
  const type = (row.type in CONNECTION_TYPES ? row.type : 'generic') as ConnectionType;
  return {
    id: row.id,
    name: row.name,
    type,
    typeLabel: CONNECTION_TYPES[type].label,
    scope: row.scope,
    description: row.description ?? '',
    fields: [
      ...Object.entries(plain).map(([name, value]) => ({
        name,
        secret: false,
        ...(values ? { value } : {}),
      })),
      ...Object.keys(sealed).map((name) => ({ name, secret: true })),
    ],
    expiresAt: row.expiresAt?.toISOString() ?? null,
    status: connectionStatus(row.expiresAt),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
