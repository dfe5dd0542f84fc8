import { namedSql } from '../db/named-sql';

// Pipelines' SQL: the functions of migration 2026120870*_pipelines decide; these call them.

/** Stops a pipeline run and its steps; 'cancelled', or 'already_finished'. */
export const CANCEL_PIPELINE = namedSql<{ runId: string }>(
  'select etl_pipeline_cancel(:runId::uuid) as outcome',
);

/** Starts a finished step again, and the flow after it. */
export const RESTART_STEP = namedSql<{ runId: string; orgId: string; stepId: string }>(
  'select outcome, run_id::text as "runId" from etl_pipeline_restart_step(:runId::uuid, :orgId::uuid, :stepId)',
);

/** The steps of a pipeline run with their states (null for a run that is not a pipeline run). */
export const PIPELINE_STEPS = namedSql<{ runId: string }>(
  `select etl_pipeline_steps(p."runId") as steps from "PipelineRun" p where p."runId" = :runId::uuid`,
);
