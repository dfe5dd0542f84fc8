import type { UserActor } from '../auth/actor';
import { TOKEN_PREFIX } from './token';
import { db } from '../db';
import { AppError } from '../errors';
import { canManageKey, canRevealKey, canRevokeKey } from './key-access';
import { keyStatus, type KeyStatus } from './key-status';

export interface KeyDetail {
  id: string;
  name: string;
  selector: string;
  description: string | null;
  type: 'personal' | 'functional';
  owner: { id: string; email: string; name: string | null };
  masked: string;
  status: KeyStatus;
  /** The decoded header and payload, from the stored claims: not secret (the signature is). */
  header: { etl?: 'apikey'; alg: 'HS256'; typ: 'JWT'; kid: string };
  payload: Record<string, unknown>;
  /** The jobs it may start; empty: every job of the organisation. */
  jobs: { id: string; name: string }[];
  rateLimit: number | null;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  graceUntil: Date | null;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
  rolledFrom: { id: string; name: string } | null;
  rolledTo: { id: string; name: string; lastUsedAt: Date | null } | null;
  /** Whether this actor may see the whole token (see key-access.ts). */
  canReveal: boolean;
  /** Whether this actor may edit, roll and revoke it. */
  canManage: boolean;
  /** The owner may revoke even after losing the editor role. */
  canRevoke: boolean;
}

/** One key of the actor's organisation, without its token; another organisation's key is not found. */
export async function getApiKey(actor: UserActor, keyId: string): Promise<KeyDetail> {
  const key = /^[0-9a-f-]{36}$/i.test(keyId)
    ? await db.apiKey.findFirst({
        where: { id: keyId.toLowerCase(), orgId: actor.orgId },
        include: { owner: { select: { id: true, email: true, name: true } } },
      })
    : null;
  if (!key) throw new AppError('key_not_found', 'No such API key in this organisation');

  const [jobs, rolledFrom, rolledTo] = await Promise.all([
    key.jobIds.length
      ? db.job.findMany({
          where: { orgId: actor.orgId, id: { in: key.jobIds } },
          select: { id: true, name: true },
          orderBy: { name: 'asc' },
        })
      : Promise.resolve([]),
    key.rolledFromId
      ? db.apiKey.findFirst({
          where: { id: key.rolledFromId, orgId: actor.orgId },
          select: { id: true, name: true },
        })
      : null,
    db.apiKey.findFirst({
      where: { rolledFromId: key.id, orgId: actor.orgId },
      select: { id: true, name: true, lastUsedAt: true },
      orderBy: { createdAt: 'desc' },
    }),
  ]);

  const status = keyStatus(key);
  return {
    id: key.id,
    name: key.name,
    selector: key.selector,
    description: key.description,
    type: key.type,
    owner: key.owner,
    masked: key.masked,
    status,
    // The masked form keeps the token's first characters: they tell the product's header from the older one.
    header: key.masked.startsWith(TOKEN_PREFIX.slice(0, 8))
      ? { etl: 'apikey', alg: 'HS256', typ: 'JWT', kid: key.kid }
      : { alg: 'HS256', typ: 'JWT', kid: key.kid },
    payload: JSON.parse(key.claims) as Record<string, unknown>,
    jobs,
    rateLimit: key.rateLimit,
    createdAt: key.createdAt,
    expiresAt: key.expiresAt,
    revokedAt: key.revokedAt,
    graceUntil: key.graceUntil,
    lastUsedAt: key.lastUsedAt,
    lastUsedIp: key.lastUsedIp,
    rolledFrom,
    rolledTo,
    canReveal: canRevealKey(actor, key) && status !== 'revoked' && status !== 'expired',
    canManage: canManageKey(actor, key) && status !== 'revoked',
    canRevoke: canRevokeKey(actor, key) && status !== 'revoked',
  };
}
