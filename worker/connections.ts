import type { KeyObject } from 'node:crypto';
import { open } from '../server/connections/crypto';
import { connectionRefs, usableConnections } from '../server/connections/job-references';
import { fieldContext, openOrgKey } from '../server/connections/org-key';
import { db } from '../server/db';
import type { ClaimedRun } from '../server/runs/claim-run';
import type { ExecuteContext, ExecuteResult } from './executors/types';
import type { RunLog } from './run-log';

// At the start of a run: the connection references of its job's config are replaced by the values they
// name, opened here with the worker's private key. The values go into the run's process environment or
// its request only (the executor gets the config with them in it), and the run's log masks them.

export type Resolved = { job: ClaimedRun['job']; secrets: string[] } | { error: string };

function replaceAt(config: unknown, path: string, value: string): unknown {
  const [, ...keys] = path.split('.'); // "config.env.NAME" → ["env", "NAME"]
  const copy = structuredClone(config) as Record<string, unknown>;
  if (keys.length === 1) copy[keys[0]] = value;
  else (copy[keys[0]] as Record<string, unknown>)[keys.slice(1).join('.')] = value;
  return copy;
}

export async function resolveConnections(run: ClaimedRun): Promise<Resolved> {
  const refs = connectionRefs(run.job.type, run.job.config);
  if (refs.length === 0) return { job: run.job, secrets: [] };
  const job = await db.job.findUnique({ where: { id: run.jobId }, select: { definedById: true } });
  const usable = await usableConnections(run.orgId, job?.definedById ?? null, [
    ...new Set(refs.map((r) => r.ref.connection)),
  ]);
  let orgKey: KeyObject | undefined;
  const privateKey = async () => {
    if (orgKey) return orgKey;
    const row = await db.connectionKey.findUnique({ where: { orgId: run.orgId } });
    if (!row) throw new Error('the organisation has no connections key');
    try {
      return (orgKey = openOrgKey(row));
    } catch (error) {
      // A rotation may have re-wrapped the key (and retired the old private key) since the row was read.
      const again = await db.connectionKey.findUniqueOrThrow({ where: { orgId: run.orgId } });
      if (again.masterKeyId === row.masterKeyId) throw error;
      return (orgKey = openOrgKey(again));
    }
  };

  let config = run.job.config;
  const secrets: string[] = [];
  const used = new Map<string, { id: string; fields: Set<string> }>();
  const now = new Date();
  for (const { path, ref } of refs) {
    const row = usable.get(ref.connection);
    if (!row)
      return {
        error: `${path}: connection "${ref.connection}" is not available to this job (deleted, or personal to someone other than the member who saved the job)`,
      };
    if (row.expiresAt && row.expiresAt <= now)
      return {
        error: `${path}: connection "${ref.connection}" expired on ${row.expiresAt.toISOString()}; give it a new expiry or new credentials in Integrations > Connections`,
      };
    const plain = row.fields as Record<string, string>;
    const sealed = row.secrets as Record<string, string>;
    let value: string;
    if (ref.field in sealed) {
      try {
        value = open(
          await privateKey(),
          sealed[ref.field],
          fieldContext(run.orgId, row.id, ref.field),
        ).toString('utf8');
      } catch (error) {
        return {
          error: `${path}: connection "${ref.connection}" could not be opened: ${(error as Error).message}`,
        };
      }
      secrets.push(value);
    } else if (ref.field in plain) {
      value = plain[ref.field];
    } else {
      return { error: `${path}: connection "${ref.connection}" has no field "${ref.field}"` };
    }
    config = replaceAt(config, path, value);
    const entry = used.get(row.name) ?? { id: row.id, fields: new Set<string>() };
    entry.fields.add(ref.field);
    used.set(row.name, entry);
  }
  await db.$transaction(async (tx) => {
    const ids = [...used.values()].map((u) => u.id);
    await tx.$executeRaw`update "Connection" set "lastUsedAt" = ${now} where id = any(${ids}::uuid[])`;
    // Not recordAudit: Prisma's create reads the row back, and the worker may read only some of its columns.
    for (const [name, { id, fields }] of used) {
      const details = JSON.stringify({ name, fields: [...fields], runId: run.id, jobId: run.jobId });
      await tx.$executeRaw`insert into "AuditEvent" ("orgId", actor, "actorName", action, target, details)
        values (${run.orgId}::uuid, 'system', 'worker', 'connection.used', ${`connection:${id}`}, ${details}::jsonb)`;
    }
  });
  return { job: { ...run.job, config }, secrets };
}

/** Runs `execute` with the job's connection references resolved, and the secrets masked in `log`. */
export async function withConnections(
  ctx: ExecuteContext,
  log: RunLog,
  execute: (ctx: ExecuteContext) => Promise<ExecuteResult>,
): Promise<ExecuteResult> {
  const resolved = await resolveConnections(ctx.run);
  if ('error' in resolved) return { status: 'failed', error: resolved.error };
  if (resolved.job === ctx.run.job) return execute(ctx);
  log.maskSecrets(resolved.secrets);
  return execute({ ...ctx, job: resolved.job, run: { ...ctx.run, job: resolved.job } });
}
