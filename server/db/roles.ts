// The web server and the workers connect as their own non-superuser roles, each with only the grants
// it needs; the owner (DATABASE_URL of the launcher) runs the migrations and then these grants, on
// every start, so tables added by later migrations are covered too.
import { newClient } from './pool';

/** The roles of the embedded database (an external one names its own in DATABASE_URL_WEB/_WORKER). */
export const WEB_ROLE = 'etl_web';
export const WORKER_ROLE = 'etl_worker';

/**
 * What a worker may do in the app's schema, table by table: claim, heartbeat and finish runs, write
 * their logs, read the job they run. Nothing else (no keys, users, audit, migrations). A table the
 * worker comes to need is added here.
 */
export const WORKER_TABLES: Record<string, string> = {
  Job: 'select',
  // Scheduled ticks start runs (etl_start_runs writes the run and its audit event). Retention
  // (server/retention/prune.ts) deletes old finished runs, their logs, dead idempotency records and old
  // audit events: it may read only the columns it selects by, never an answer or an event's details.
  JobRun: 'select, insert, update, delete',
  RunLog: 'select, insert, delete',
  // Runs over an organisation's quota wait here for one of its runs to end (server/runs/org-quota.ts).
  RunQuotaWait: 'select, insert, delete',
  AuditEvent: 'insert, delete, select ("id", "orgId", "at")',
  IdempotencyRecord: 'delete, select ("orgId", "keyId", "key", "createdAt")',
  // The operator's command grant is checked again when a command run starts.
  Organization: 'select ("id", "commandJobsRole")',
  JobSchedule: 'select, update',
  // A failed run's notice is written with its recipients by a trigger; the worker mails it once.
  FailureNotice: 'select, update',
  // Run status changes queue deliveries by trigger; the worker sends them and keeps the endpoint's health.
  WebhookEndpoint: 'select, update',
  WebhookDelivery: 'select, insert, update',
  // A run opens the connections its job names (server/connections, worker/connections.ts).
  Connection: 'select, update ("lastUsedAt")',
  ConnectionKey: 'select',
  // Pipelines: a step's end advances its pipeline by trigger (migration 2026120870*_pipelines), and a
  // scheduled pipeline run records the definition it runs.
  PipelineRun: 'select, insert',
  PipelineStepRun: 'select, insert, update',
};
/** Sequences behind the worker's inserts. */
export const WORKER_SEQUENCES = ['AuditEvent_id_seq'];

const QUEUE = 'graphile_worker';
/** graphile-worker turns row level security on for these (no policy: owner only); ours let the roles in. */
export const QUEUE_RLS_TABLES = [
  '_private_jobs',
  '_private_job_queues',
  '_private_tasks',
  '_private_known_crontabs',
];
const id = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** A statement that takes EXECUTE on every SECURITY DEFINER function of the app's schema from PUBLIC and `roles`. */
function revokeDefinerFunctions(roles: string[]): string {
  const grantees = ['public', ...roles].join(', ').replaceAll("'", "''");
  return `do $$ declare f regprocedure; begin
    for f in select p.oid::regprocedure from pg_proc p join pg_namespace n on n.oid = p.pronamespace
              where n.nspname = 'public' and p.prosecdef loop
      execute format('revoke execute on function %s from ${grantees}', f);
    end loop; end $$`;
}

/** The statements that give `web` and `worker` their rights; run as the owner of the tables. */
export function grantStatements(roles: { web?: string; worker?: string }): string[] {
  const sql: string[] = [];
  const queueRights = (role: string) => [
    `grant usage on schema ${QUEUE} to ${role}`,
    // add_job runs as its caller and writes the queue's tables; the worker takes and completes jobs.
    `grant select, insert, update, delete on all tables in schema ${QUEUE} to ${role}`,
    `grant usage, select on all sequences in schema ${QUEUE} to ${role}`,
    `grant execute on all functions in schema ${QUEUE} to ${role}`,
    `alter default privileges in schema ${QUEUE} grant select, insert, update, delete on tables to ${role}`,
    `alter default privileges in schema ${QUEUE} grant usage, select on sequences to ${role}`,
    ...QUEUE_RLS_TABLES.flatMap((table) => {
      const policy = id(`etl_access_${role.replaceAll('"', '')}`.slice(0, 63));
      return [
        `drop policy if exists ${policy} on ${QUEUE}.${table}`,
        `create policy ${policy} on ${QUEUE}.${table} for all to ${role} using (true) with check (true)`,
      ];
    }),
  ];
  if (roles.web) {
    const web = id(roles.web);
    sql.push(
      `grant usage on schema public to ${web}`,
      `grant select, insert, update, delete on all tables in schema public to ${web}`,
      `revoke all on table public."_prisma_migrations" from ${web}`,
      `grant usage, select on all sequences in schema public to ${web}`,
      `grant execute on all functions in schema public to ${web}`,
      // ...but no SECURITY DEFINER function: they run as the owner, only through the triggers that use them.
      revokeDefinerFunctions([web]),
      // Tables and sequences that later migrations create (the owner runs them) are the web's at once.
      `alter default privileges in schema public grant select, insert, update, delete on tables to ${web}`,
      `alter default privileges in schema public grant usage, select on sequences to ${web}`,
      ...queueRights(web),
    );
  }
  if (roles.worker) {
    const worker = id(roles.worker);
    sql.push(
      `grant usage on schema public to ${worker}`,
      `revoke all on all tables in schema public from ${worker}`,
    );
    for (const [table, rights] of Object.entries(WORKER_TABLES))
      sql.push(`grant ${rights} on table public.${id(table)} to ${worker}`);
    for (const sequence of WORKER_SEQUENCES)
      sql.push(`grant usage on sequence public.${id(sequence)} to ${worker}`);
    sql.push(...queueRights(worker), revokeDefinerFunctions([worker]));
  }
  return sql;
}

/** The role a connection string logs in as. */
export function roleOf(url: string): string {
  return decodeURIComponent(new URL(url).username);
}

/**
 * Grants the web's and the worker's rights, as the owner at `ownerUrl`, in one transaction. A role that
 * is the owner itself (no separate URL given) is left alone.
 */
export async function applyGrants(ownerUrl: string, urls: { web?: string; worker?: string }): Promise<void> {
  const owner = roleOf(ownerUrl);
  const pick = (url?: string) => (url && roleOf(url) !== owner ? roleOf(url) : undefined);
  const statements = grantStatements({ web: pick(urls.web), worker: pick(urls.worker) });
  if (statements.length === 0) return;
  const client = newClient(ownerUrl);
  await client.connect();
  try {
    await client.query('begin');
    await client.query('select pg_advisory_xact_lock(7215002)'); // two starts at once would collide
    for (const statement of statements) await client.query(statement);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    await client.end().catch(() => {});
  }
}
