'use client';

import { useMemo, useState, useTransition } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { FieldHint, Input, Label, Select } from '@/components/ui/input';
import { Tabs } from '@/components/ui/tabs';
import { buildSnippets } from './snippets';

export interface TestOutcome {
  ok: boolean;
  message?: string;
  result?: { ok: boolean; status: number; body: Record<string, unknown> };
}

/**
 * The endpoint, a job to start, the snippets for it, and a dry run from the server. `token` is the whole
 * token only for people who may see it; everyone else gets a placeholder and never the token.
 */
export function KeyUsage({
  endpoint,
  token,
  jobs,
  test,
}: {
  endpoint: string;
  token: string | null;
  jobs: { id: string; name: string }[];
  test: ((job: string) => Promise<TestOutcome>) | null;
}) {
  const [job, setJob] = useState(jobs[0]?.name ?? 'my-job');
  const [outcome, setOutcome] = useState<TestOutcome | null>(null);
  const [testing, startTesting] = useTransition();
  const snippets = useMemo(() => buildSnippets({ endpoint, token: token ?? 'YOUR_API_KEY', job }), [endpoint, token, job]);

  return (
    <div className="flex flex-col gap-5">
      <div className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_16rem]">
        <div className="min-w-0">
          <Label htmlFor="endpoint">Endpoint</Label>
          <div className="flex gap-2">
            <Input id="endpoint" readOnly value={endpoint} className="font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
            <CopyButton text={endpoint} className="h-10" aria-label="Copy endpoint" />
          </div>
          <FieldHint>
            <code>POST</code> with header <code>x-api-key</code> and body <code>{'{"id":"<job>","params":{}}'}</code>; answers 202 with the run.
          </FieldHint>
        </div>
        <div>
          <Label htmlFor="snippet-job">Job</Label>
          <Select
            id="snippet-job"
            value={job}
            onChange={(e) => {
              setJob(e.target.value);
              setOutcome(null);
            }}
            disabled={jobs.length === 0}
          >
            {jobs.length === 0 ? <option value="my-job">No jobs yet</option> : null}
            {jobs.map((j) => (
              <option key={j.id} value={j.name}>
                {j.name}
              </option>
            ))}
          </Select>
          <FieldHint>Fills the snippets below.</FieldHint>
        </div>
      </div>

      {token ? null : (
        <Alert tone="info">
          The snippets show <code>YOUR_API_KEY</code> where the token goes: you may not see this key&apos;s token.
        </Alert>
      )}

      <Tabs
        label="Snippets"
        items={snippets.map((s) => ({
          id: s.id,
          label: s.label,
          content: (
            <div>
              <div className="relative">
                <pre
                  data-snippet={s.id}
                  tabIndex={0}
                  aria-label={`${s.label} snippet`}
                  className="max-h-96 overflow-auto rounded-md border border-border bg-surface-muted p-4 pr-24 font-mono text-xs leading-relaxed text-fg"
                >
                  <code>{s.code}</code>
                </pre>
                <CopyButton text={s.code} className="absolute top-2 right-2" aria-label={`Copy ${s.label} snippet`} />
              </div>
              <FieldHint>{s.hint}</FieldHint>
            </div>
          ),
        }))}
      />

      {test ? (
        <div className="flex flex-col gap-3 border-t border-border pt-4">
          <div className="flex flex-wrap items-center gap-3">
            <Button
              variant="secondary"
              disabled={testing || jobs.length === 0}
              onClick={() =>
                startTesting(async () => {
                  setOutcome(await test(job));
                })
              }
            >
              {testing ? 'Testing…' : 'Test'}
            </Button>
            <p className="text-sm text-fg-muted">
              Sends a dry run for <code>{job}</code> from the server: checks the key and the job without starting a run.
            </p>
          </div>
          {outcome ? (
            outcome.result ? (
              <div role="status" aria-label="Test result" className="rounded-md border border-border">
                <p className={`border-b border-border px-3 py-2 text-sm font-medium ${outcome.result.ok ? 'text-emerald-700 dark:text-emerald-300' : 'text-danger'}`}>
                  {outcome.result.status} {outcome.result.ok ? 'OK: the key would start this job' : 'Refused'}
                </p>
                <pre className="overflow-x-auto p-3 font-mono text-xs text-fg">{JSON.stringify(outcome.result.body, null, 2)}</pre>
              </div>
            ) : (
              <Alert tone="danger">{outcome.message}</Alert>
            )
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
