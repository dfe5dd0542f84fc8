import { recordAudit } from '../audit/record';
import { auditActor, type UserActor } from '../auth/actor';
import { db } from '../db';
import { AppError, ERROR_TITLE } from '../errors';
import { startJob } from '../jobs/start-job';
import type { KeyPrincipal } from './authenticate-key';
import { canManageKey } from './key-access';
import { keyStatus } from './key-status';
import { secretByKid } from './keyring';
import { resignToken } from './token';

export interface KeyTestResult {
  ok: boolean;
  /** The status the job API answers with for this key and job. */
  status: number;
  body: Record<string, unknown>;
}

/**
 * A dry run of the job API for a key: the checks authenticate-key.ts makes (revoked, expired, signing
 * secret, digest), then the job and the key's job scope, without creating a run. It runs in-process
 * rather than over HTTP on purpose: a request with a rolled key's new token would count as its first use
 * and retire the old key, which a test from the console must not do.
 */
export async function testApiKey(
  actor: UserActor,
  keyId: string,
  job: string,
  params: Record<string, unknown> = {},
): Promise<KeyTestResult> {
  const key = await db.apiKey.findFirst({
    where: { id: keyId, orgId: actor.orgId },
    include: { org: { select: { slug: true } } },
  });
  if (!key) throw new AppError('key_not_found', 'No such API key in this organisation');
  if (!canManageKey(actor, key))
    throw new AppError('forbidden', 'Only the key’s owner or an admin may test it');

  const refuse = (error: AppError): KeyTestResult => ({
    ok: false,
    status: error.status,
    body: {
      type: 'about:blank',
      title: ERROR_TITLE[error.code],
      status: error.status,
      detail: error.message,
      code: error.code,
    },
  });
  let result: KeyTestResult;
  const status = keyStatus(key);
  const secret = secretByKid(key.kid);
  if (status === 'revoked') result = refuse(new AppError('api_key_revoked', 'The API key has been revoked.'));
  else if (status === 'expired')
    result = refuse(new AppError('api_key_expired', 'The API key has expired. Create a new one.'));
  else if (!secret || !(await resignToken(key.claims, secret, key.digest))) {
    result = refuse(
      new AppError(
        'api_key_invalid',
        'The API key is not valid: its signing secret is no longer configured.',
      ),
    );
  } else {
    const principal: KeyPrincipal = {
      kind: 'key',
      keyId: key.id,
      name: key.name,
      orgId: key.orgId,
      orgSlug: key.org.slug,
      jobIds: key.jobIds,
      rateLimit: key.rateLimit,
      ip: actor.ip ?? null,
    };
    try {
      const started = await startJob(principal, { id: job, params, dryRun: true });
      result = {
        ok: true,
        status: 200,
        body: { message: 'dry run ok', id: started.jobId, name: started.jobName, dryRun: true },
      };
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      result = refuse(error);
    }
  }
  await recordAudit({
    orgId: actor.orgId,
    ...auditActor(actor),
    action: 'key.tested',
    target: `key:${key.id}`,
    details: { name: key.name, job, status: result.status },
  });
  return result;
}
