import { randomUUID } from 'node:crypto';
import { roleAtLeast } from '../auth/roles';
import {
  claimsText,
  createApiKeySchema,
  expiryFrom,
  MAX_TOKEN_BYTES,
  type CreateApiKeyInput,
} from '../../lib/validations/api-key';
import { recordAudit } from '../audit/record';
import { auditActor, type UserActor } from '../auth/actor';
import { db, type Prisma } from '../db';
import { defaultRateLimit } from './rate-limit';
import { AppError, fieldErrors } from '../errors';
import { signingSecret } from './keyring';
import { maskToken, signClaims, tokenDigest } from './token';

/** Keys (made or rolled) an editor may create an hour in one organisation; admins and owners have no limit. */
export const EDITOR_KEYS_PER_HOUR = 20;

export interface CreatedKey {
  id: string;
  token: string;
}

/**
 * Creates a key owned by the actor (or, for admins, by `ownerId`), signs its token and stores only the
 * claims text and the token's digest. The token is returned once, to the caller.
 */
export async function createApiKey(
  actor: UserActor,
  input: CreateApiKeyInput,
  options: { ownerId?: string; rolledFromId?: string } = {},
): Promise<CreatedKey> {
  if (!roleAtLeast(actor.role, 'editor')) throw new AppError('forbidden', 'Viewers cannot create API keys');
  const parsed = createApiKeySchema.safeParse(input);
  if (!parsed.success)
    throw new AppError('validation_failed', 'The key is not valid', {
      errors: fieldErrors(parsed.error.issues),
    });
  const values = parsed.data;
  const limited = !roleAtLeast(actor.role, 'admin');
  if (limited) checkRateLimitChoice(values.rateLimit);

  const ownerId = await checkOwner(actor, options.ownerId ?? actor.userId);
  const jobIds = await checkJobs(actor, values.jobScope === 'chosen' ? values.jobIds : []);

  const id = randomUUID();
  const now = Date.now();
  const exp = expiryFrom(values, now);
  const text = claimsText(
    { app: values.name, uid: values.selector, org: actor.orgSlug, id, iat: Math.floor(now / 1000), exp },
    values.fields,
  );
  const secret = signingSecret();
  const token = await signClaims(text, secret);
  if (Buffer.byteLength(token) > MAX_TOKEN_BYTES) {
    throw new AppError('validation_failed', 'The token would be too large', {
      errors: [
        {
          path: 'fields',
          message: `The token would be ${Buffer.byteLength(token)} bytes; ${MAX_TOKEN_BYTES} at most. Shorten the additional fields.`,
        },
      ],
    });
  }

  await db.$transaction(async (tx) => {
    if (limited) await checkCreationLimit(tx, actor);
    await tx.apiKey.create({
      data: {
        id,
        orgId: actor.orgId,
        ownerId,
        name: values.name,
        selector: values.selector,
        description: values.description || null,
        type: values.type,
        claims: text,
        kid: secret.kid,
        digest: tokenDigest(token),
        masked: maskToken(token),
        jobIds,
        rateLimit: values.rateLimit,
        expiresAt: exp === undefined ? null : new Date(exp * 1000),
        rolledFromId: options.rolledFromId ?? null,
      },
    });
    await recordAudit(
      {
        orgId: actor.orgId,
        ...auditActor(actor),
        action: options.rolledFromId ? 'key.rolled' : 'key.created',
        target: `key:${id}`,
        details: { name: values.name, type: values.type, rolledFrom: options.rolledFromId ?? null },
      },
      tx,
    );
  });
  return { id, token };
}

/** The key's owner: the actor, or (for admins) another member of the organisation. */
async function checkOwner(actor: UserActor, ownerId: string): Promise<string> {
  if (ownerId === actor.userId) return ownerId;
  if (!roleAtLeast(actor.role, 'admin'))
    throw new AppError('forbidden', 'Only admins create keys for other members');
  const member = await db.membership.findUnique({
    where: { orgId_userId: { orgId: actor.orgId, userId: ownerId } },
  });
  if (!member)
    throw new AppError('validation_failed', 'The owner is not a member', {
      errors: [{ path: 'ownerId', message: 'Not a member of this organisation' }],
    });
  return ownerId;
}

/** The chosen jobs, once each; every one must be a job of the organisation. */
async function checkJobs(actor: UserActor, chosen: string[]): Promise<string[]> {
  const jobIds = [...new Set(chosen)];
  if (jobIds.length === 0) return jobIds;
  const found = await db.job.count({ where: { orgId: actor.orgId, id: { in: jobIds } } });
  if (found !== jobIds.length)
    throw new AppError('validation_failed', 'Unknown job', {
      errors: [{ path: 'jobIds', message: 'One of the chosen jobs does not exist' }],
    });
  return jobIds;
}

/**
 * Editors create at most EDITOR_KEYS_PER_HOUR keys an hour (a leaked session cannot mint keys in bulk).
 * Counted in the transaction that creates the key, under a lock on the editor's membership row, so
 * parallel creations are counted one after the other.
 */
async function checkCreationLimit(tx: Prisma.TransactionClient, actor: UserActor): Promise<void> {
  await tx.$executeRaw`select 1 from "Membership" where "orgId" = ${actor.orgId}::uuid and "userId" = ${actor.userId}::uuid for update`;
  const hour = 60 * 60 * 1000;
  const recent = await tx.apiKey.findMany({
    where: { orgId: actor.orgId, ownerId: actor.userId, createdAt: { gte: new Date(Date.now() - hour) } },
    select: { createdAt: true },
    orderBy: { createdAt: 'desc' },
    take: EDITOR_KEYS_PER_HOUR,
  });
  if (recent.length < EDITOR_KEYS_PER_HOUR) return;
  const retryAfter = Math.max(
    1,
    Math.ceil((recent[recent.length - 1].createdAt.getTime() + hour - Date.now()) / 1000),
  );
  throw new AppError(
    'rate_limited',
    `Editors create at most ${EDITOR_KEYS_PER_HOUR} keys an hour. Try again in ${Math.ceil(retryAfter / 60)} minutes, or ask an admin.`,
    {
      headers: { 'Retry-After': String(retryAfter) },
    },
  );
}

/** Below admin, a key's rate is the default or lower: no unlimited key, no raise above RATE_LIMIT_PER_MINUTE. */
function checkRateLimitChoice(rateLimit: number | null): void {
  const fallback = defaultRateLimit();
  if (rateLimit === null || fallback === 0 || (rateLimit > 0 && rateLimit <= fallback)) return;
  throw new AppError('validation_failed', 'Only admins set this rate limit', {
    errors: [
      {
        path: 'rateLimit',
        message:
          rateLimit === 0
            ? 'Only admins create keys without a rate limit'
            : `Only admins raise a key above ${fallback} requests a minute`,
        rule: 'admin_only',
      },
    ],
  });
}
