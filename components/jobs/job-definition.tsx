import type { ReactNode } from 'react';
import { Badge } from '@/components/ui/badge';
import { CopyButton } from '@/components/ui/copy-button';
import { exampleParams } from '@/lib/params-example';
import { TYPE_LABELS } from './job-table';
import { PipelineStepList } from '@/components/pipelines/step-list';

export interface JobDefinitionView {
  id: string;
  name: string;
  type: 'command' | 'http' | 'pipeline';
  config: unknown;
  concurrency: 'single' | 'parallel';
  timeoutSeconds: number;
  maxAttempts: number;
  paramsSchema: unknown;
}

function Row({
  label,
  children,
  className = 'col-span-3',
}: {
  label: string;
  children: ReactNode;
  className?: string;
}) {
  return (
    <div className={`min-w-0 ${className}`}>
      <dt className="text-xs font-medium text-fg-muted">{label}</dt>
      <dd className="mt-0.5 text-sm text-fg">{children}</dd>
    </div>
  );
}

function Names({ names }: { names: string[] }) {
  return names.length ? (
    <span className="font-mono text-xs">{names.join(', ')}</span>
  ) : (
    <span className="text-fg-muted">none</span>
  );
}

function seconds(total: number): string {
  if (total % 86_400 === 0) return `${total / 86_400} d`;
  if (total % 3600 === 0) return `${total / 3600} h`;
  if (total % 60 === 0) return `${total / 60} min`;
  return `${total} s`;
}

/** The request that starts this job through the API, with params its schema accepts. */
function ApiRequestRow({ job }: { job: JobDefinitionView }) {
  return (
    <Row label="Start it through the API">
      <pre
        tabIndex={0}
        aria-label="Request that starts this job"
        className="overflow-x-auto rounded-md bg-surface-muted p-2.5 font-mono text-xs"
      >
        {`POST /etl-mgr/api/apijob\nx-api-key: <token>\n\n${JSON.stringify(
          { id: job.name, params: exampleParams(job.paramsSchema) },
          null,
          2,
        )}`}
      </pre>
      <span className="mt-1 block text-xs text-fg-muted">
        {job.paramsSchema
          ? 'The params are filled in from the params schema; a key’s page has ready-to-paste snippets.'
          : 'A key’s page under Integrations > Api Keys has ready-to-paste snippets.'}
      </span>
    </Row>
  );
}

/** A job's definition as a list: what it runs and how. Environment and header values are not shown. */
export function JobDefinitionList({ job }: { job: JobDefinitionView }) {
  const c = (job.config ?? {}) as {
    command?: string;
    args?: string[];
    env?: Record<string, string>;
    network?: boolean;
    method?: string;
    url?: string;
    headers?: Record<string, string>;
  };
  const names = Object.keys((job.type === 'http' ? c.headers : c.env) ?? {});
  return (
    <dl className="grid grid-cols-3 gap-x-3 gap-y-4">
      <Row label="Type">
        <Badge tone={job.type === 'http' ? 'info' : 'neutral'}>{TYPE_LABELS[job.type]}</Badge>
      </Row>
      {job.type === 'pipeline' ? (
        <Row label="Steps">
          <PipelineStepList config={job.config} />
        </Row>
      ) : job.type === 'command' ? (
        <Row label="Command">
          <code className="block overflow-x-auto rounded-md bg-surface-muted p-2.5 font-mono text-xs leading-relaxed whitespace-pre-wrap break-all">
            {c.command}
            {(c.args ?? []).map((arg, i) => (
              <span key={i}>
                {' '}
                <span className="text-fg-muted">
                  {/[\s"'\\$`]/.test(arg) || arg === '' ? JSON.stringify(arg) : arg}
                </span>
              </span>
            ))}
          </code>
        </Row>
      ) : (
        <Row label="Request">
          <code className="block overflow-x-auto rounded-md bg-surface-muted p-2.5 font-mono text-xs break-all">
            <span className="font-semibold">{c.method ?? 'POST'}</span> {c.url}
          </code>
        </Row>
      )}
      {job.type === 'command' ? <Row label="Network access">{c.network ? 'Yes' : 'No'}</Row> : null}
      {job.type === 'pipeline' ? null : (
        <Row label={job.type === 'http' ? 'Headers' : 'Environment'}>
          <Names names={names} />
        </Row>
      )}
      <Row label="Concurrency" className="col-span-1">
        {job.concurrency === 'single' ? 'One at a time' : 'Parallel'}
      </Row>
      <Row label="Timeout" className="col-span-1">
        {seconds(job.timeoutSeconds)}
      </Row>
      <Row label="Attempts" className="col-span-1">
        {job.maxAttempts}
      </Row>
      <Row label="Params schema">
        {job.paramsSchema ? (
          <pre
            tabIndex={0}
            aria-label="Params schema"
            className="mt-1 max-h-56 overflow-auto rounded-md bg-surface-muted p-2.5 font-mono text-xs leading-relaxed"
          >
            {JSON.stringify(job.paramsSchema, null, 2)}
          </pre>
        ) : (
          <span className="text-fg-muted">none: any JSON object is accepted</span>
        )}
      </Row>
      <Row label="Job ID">
        <span className="flex flex-wrap items-center gap-2">
          <code className="font-mono text-xs break-all">{job.id}</code>
          <CopyButton text={job.id} label="Copy ID" aria-label="Copy ID of the job" />
        </span>
      </Row>
      <ApiRequestRow job={job} />
    </dl>
  );
}
