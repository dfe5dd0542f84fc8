// A program that uses the job API the way a client developer would: a client generated from the
// OpenAPI document (openapi-typescript's types, openapi-fetch's client), with no casts. It starts a job,
// polls the run, lists runs a page at a time, reads the logs and cancels a run.
//
//   ETL_URL=http://localhost:3000 ETL_API_KEY=... ETL_JOB=hello-world npx tsx examples/client.ts
import createClient from 'openapi-fetch';
import type { paths } from './etl-mgr-api';

export type Client = ReturnType<typeof createClient<paths>>;

export function client(baseUrl: string, apiKey: string): Client {
  return createClient<paths>({ baseUrl, headers: { 'x-api-key': apiKey } });
}

const FINISHED = new Set(['succeeded', 'failed', 'cancelled']);

/** Starts the job and answers the new run's id. */
export async function start(api: Client, job: string, params: Record<string, unknown> = {}): Promise<string> {
  const { data, error } = await api.POST('/etl-mgr/api/apijob', { body: { id: job, params } });
  if (error) throw new Error(`start refused: ${error.code}: ${error.detail}`);
  // The 200 answers (status, stop, dry run) and the 202 one are told apart by `message`.
  if (data.message !== 'job started') throw new Error(`expected a start, got "${data.message}"`);
  return data.runId;
}

/** Polls the run until it has finished (or `timeoutMs` passed); answers its last state. */
export async function waitForRun(api: Client, runId: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { data, error } = await api.GET('/etl-mgr/api/runs/{runId}', { params: { path: { runId } } });
    if (error) throw new Error(`run ${runId}: ${error.code}`);
    if (FINISHED.has(data.status) || Date.now() > deadline) return data;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Every run of the job, through the pages (`next` until null). */
export async function allRuns(api: Client, jobId: string, pageSize = 2) {
  const runs: { id: string; status: string; params: Record<string, unknown> }[] = [];
  let cursor: string | undefined;
  do {
    const { data, error } = await api.GET('/etl-mgr/api/runs', {
      params: { query: { jobId, limit: pageSize, cursor } },
    });
    if (error) throw new Error(`list: ${error.code}`);
    runs.push(...data.runs);
    cursor = data.next ?? undefined;
  } while (cursor);
  return runs;
}

/** The run's whole log, page by page. */
export async function logText(api: Client, runId: string): Promise<string[]> {
  const lines: string[] = [];
  let after = 0;
  for (;;) {
    const { data, error } = await api.GET('/etl-mgr/api/runs/{runId}/logs', {
      params: { path: { runId }, query: { after, limit: 100 } },
    });
    if (error) throw new Error(`logs: ${error.code}`);
    lines.push(...data.lines.map((line) => line.text));
    if (data.lines.length === 0) return lines;
    after = data.next;
  }
}

/** Cancels the run; answers where its state is (the Location of a 202) or its final status. */
export async function cancel(api: Client, runId: string): Promise<string> {
  const { data, error, response } = await api.POST('/etl-mgr/api/runs/{runId}/cancel', {
    params: { path: { runId } },
  });
  if (error) throw new Error(`cancel: ${error.code}`);
  return response.status === 202 ? (response.headers.get('location') ?? '') : data.status;
}

if (process.argv[1]?.endsWith('client.ts')) {
  const api = client(process.env.ETL_URL ?? 'http://localhost:3000', process.env.ETL_API_KEY ?? '');
  const runId = await start(api, process.env.ETL_JOB ?? 'hello-world', { from: 'examples/client.ts' });
  const run = await waitForRun(api, runId);
  console.log(`run ${runId}: ${run.status}`);
  console.log((await logText(api, runId)).join('\n'));
  console.log(`${(await allRuns(api, run.jobId, 25)).length} runs of the job`);
}
