import { pool } from '../db';

export interface PipelineCancel {
  outcome: 'cancelled' | 'already_finished';
  run: { id: string; jobId: string; status: string };
}

const CANCEL = `select r."jobId", r.status::text as status, etl_pipeline_cancel(r.id) as outcome
  from "JobRun" r join "PipelineRun" p on p."runId" = r.id
  where r.id = $1::uuid and r."orgId" = $2::uuid`;

/**
 * Stops a pipeline run of `orgId`: it is cancelled at once, its queued steps too, its running steps are
 * asked to stop, and nothing more starts. Null when the run is not a pipeline run. One statement (its own
 * transaction); tried again when it met a step's end advancing the same pipeline in the other lock order.
 */
export async function cancelPipelineRun(orgId: string, runId: string): Promise<PipelineCancel | null> {
  for (let attempt = 1; ; attempt++) {
    try {
      const { rows } = await pool.query<{
        jobId: string;
        status: string;
        outcome: PipelineCancel['outcome'];
      }>(CANCEL, [runId, orgId]);
      const row = rows[0];
      if (!row) return null;
      return {
        outcome: row.outcome,
        run: { id: runId, jobId: row.jobId, status: row.outcome === 'cancelled' ? 'cancelled' : row.status },
      };
    } catch (error) {
      if ((error as { code?: string }).code !== '40P01' || attempt >= 3) throw error;
    }
  }
}
