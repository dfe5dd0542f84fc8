import { createWebhookSchema } from '../../lib/validations/webhook';
import { recordAudit } from '../audit/record';
import { maskWebhookUrl } from './mask-url';
import { auditActor, type UserActor } from '../auth/actor';
import { db } from '../db';
import { AppError, fieldErrors } from '../errors';
import { checkDestination, isIpLiteral, parseAllowedHosts } from '../net/address-policy';
import { assertManager } from './endpoint-access';
import { newSecret } from './signing';

export type WebhookActor = UserActor | { kind: 'system'; orgId: string };

export const whoDid = (actor: WebhookActor) =>
  actor.kind === 'user' ? auditActor(actor) : { actor: 'system', actorName: 'admin CLI' };

/** Refuses at save what delivery would refuse anyway: an address literal (or localhost) the operator did not open. */
function hostProblem(url: string): string | null {
  const u = new URL(url);
  const hostname = u.hostname.replace(/^\[|\]$/g, '');
  const port = Number(u.port) || (u.protocol === 'https:' ? 443 : 80);
  const address = hostname === 'localhost' ? '127.0.0.1' : hostname;
  if (!isIpLiteral(address)) return null; // names are checked at every delivery, after DNS
  return checkDestination(parseAllowedHosts(process.env.HTTP_JOBS_ALLOWED_HOSTS), {
    hostname,
    address,
    port,
  });
}

/** An endpoint's fields, checked: the shape, the destination, the jobs (of this organisation). */
export async function checkEndpointInput(orgId: string, input: unknown) {
  const parsed = createWebhookSchema.safeParse(input);
  if (!parsed.success)
    throw new AppError('validation_failed', 'The webhook endpoint is not valid', {
      errors: fieldErrors(parsed.error.issues),
    });
  const refused = hostProblem(parsed.data.url);
  if (refused)
    throw new AppError('validation_failed', 'The webhook endpoint is not valid', {
      errors: [{ path: 'url', message: `host_not_allowed: ${refused}` }],
    });
  const { jobIds } = parsed.data;
  if (jobIds.length) {
    const found = await db.job.count({ where: { orgId, id: { in: jobIds } } });
    if (found !== new Set(jobIds).size)
      throw new AppError('validation_failed', 'Unknown job', {
        errors: [{ path: 'jobIds', message: 'Not a job of this organisation' }],
      });
  }
  return parsed.data;
}

/** Registers an endpoint; its signing secret is returned here once and shown nowhere else. */
export async function createWebhookEndpoint(
  actor: WebhookActor,
  input: unknown,
): Promise<{ id: string; secret: string }> {
  if (actor.kind === 'user') assertManager(actor);
  const { url, description, events, jobIds } = await checkEndpointInput(actor.orgId, input);
  const secret = newSecret();
  const endpoint = await db.$transaction(async (tx) => {
    const created = await tx.webhookEndpoint.create({
      data: {
        orgId: actor.orgId,
        url,
        description: description || null,
        events: [...new Set(events)],
        jobIds: [...new Set(jobIds)],
        secrets: [secret],
      },
    });
    await recordAudit(
      {
        orgId: actor.orgId,
        ...whoDid(actor),
        action: 'webhook.created',
        target: `webhook:${created.id}`,
        details: { url: maskWebhookUrl(url), events },
      },
      tx,
    );
    return created;
  });
  return { id: endpoint.id, secret };
}
