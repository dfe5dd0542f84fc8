import { httpConfigSchema } from '../../lib/validations/job';
import { DestinationRefusedError, guardedFetch, readStart } from '../../server/net/guarded-fetch';
import { LineSplitter } from '../line-splitter';
import type { ExecuteContext, Executor } from './types';

/** How much of the response body reaches the run's log. */
const BODY_LOG_BYTES = 4 * 1024;

/** Calls `config.url` with `{runId, jobId, params}` as JSON; a 2xx answer is success. */
export const httpExecutor: Executor = {
  async execute(ctx: ExecuteContext) {
    // The same schema the job was saved with: a row changed behind the API's back fails here the same way.
    const parsed = httpConfigSchema.safeParse(ctx.job.config);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return {
        status: 'failed',
        error: `invalid http job: config.${issue.path.join('.')}: ${issue.message}`,
      };
    }
    const config = parsed.data;
    // worker/connections.ts put the connection's value in before the run started.
    if (typeof config.url !== 'string') return { status: 'failed', error: 'unresolved connection reference' };
    const hasBody = config.method !== 'GET';
    try {
      // ctx.signal carries the job's timeout and cancellation.
      const response = await guardedFetch(config.url, {
        method: config.method,
        headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...config.headers },
        body: hasBody
          ? JSON.stringify({ runId: ctx.run.id, jobId: ctx.job.id, params: ctx.params ?? {} })
          : undefined,
        signal: ctx.signal,
      });
      ctx.log('system', `HTTP ${response.status} ${response.statusText}`.trim());
      const { bytes, cut } = await readStart(response.body, BODY_LOG_BYTES);
      const lines = new LineSplitter((line) => ctx.log('stdout', line));
      lines.push(bytes);
      lines.end();
      if (cut) ctx.log('system', `[response cut at ${BODY_LOG_BYTES} bytes]`);
      if (response.ok) return { status: 'succeeded' };
      return { status: 'failed', error: `HTTP ${response.status}` };
    } catch (error) {
      if (ctx.signal.aborted) return { status: 'failed', error: 'aborted' };
      if (error instanceof DestinationRefusedError) return { status: 'failed', error: error.message };
      return { status: 'failed', error: `request failed: ${(error as Error).message}` };
    }
  },
};
