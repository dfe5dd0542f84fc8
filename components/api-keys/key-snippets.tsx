'use client';

import { useMemo, useState, useTransition } from 'react';
import { toast } from 'sonner';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { FieldHint, Input, Label, Select } from '@/components/ui/input';
import { Tabs } from '@/components/ui/tabs';
import { useKeySecret } from './key-secret';
import { buildSnippets, type Snippet, type SnippetLanguage } from './snippets';

const PLACEHOLDER = 'YOUR_API_KEY';

export interface TestOutcome {
  ok: boolean;
  message?: string;
  result?: { ok: boolean; status: number; body: Record<string, unknown> };
}

const LANGUAGES: { id: SnippetLanguage; label: string }[] = [
  { id: 'curl', label: 'cURL' },
  { id: 'python', label: 'Python' },
  { id: 'javascript', label: 'JavaScript' },
  { id: 'java', label: 'Java' },
  { id: 'powershell', label: 'PowerShell' },
];

/** One snippet: code that wraps inside its own box (never under the Copy button), its hint, its Copy. */
function SnippetBlock({ snippet, build }: { snippet: Snippet; build: (token: string) => string }) {
  const { token, canReveal, busy, copy } = useKeySecret();
  return (
    <div>
      <div className="mb-2 flex items-center justify-between gap-2">
        <p className="text-xs text-fg-muted">
          {token ? 'With the whole token.' : `With ${PLACEHOLDER} in place of the token.`}
        </p>
        {canReveal ? (
          <Button
            variant="secondary"
            size="sm"
            disabled={busy}
            onClick={() => copy(`${snippet.label} snippet`, build)}
            aria-label={`Copy ${snippet.label} snippet with the token`}
          >
            Copy
          </Button>
        ) : (
          <CopyButton text={snippet.code} aria-label={`Copy ${snippet.label} snippet`} />
        )}
      </div>
      <pre
        data-snippet={snippet.id}
        tabIndex={0}
        aria-label={`${snippet.label} snippet`}
        className="max-h-96 overflow-auto rounded-md border border-border bg-surface-muted p-4 font-mono text-xs leading-relaxed whitespace-pre-wrap wrap-anywhere text-fg"
      >
        <code>{snippet.code}</code>
      </pre>
      <FieldHint>{snippet.hint}</FieldHint>
    </div>
  );
}

/** A language's snippets: a choice of client when there are several (standard library or the popular one). */
function LanguageSnippets({
  snippets,
  build,
}: {
  snippets: Snippet[];
  build: (id: string, token: string) => string;
}) {
  const [choice, setChoice] = useState(snippets[0].id);
  const shown = snippets.find((s) => s.id === choice) ?? snippets[0];
  return (
    <div className="flex flex-col gap-3">
      {snippets.length > 1 ? (
        <fieldset className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
          <legend className="sr-only">Client</legend>
          <span aria-hidden="true" className="text-fg-muted">
            Client:
          </span>
          {snippets.map((s) => (
            <label key={s.id} className="inline-flex min-h-8 items-center gap-2">
              <input
                type="radio"
                name={`client-${s.language}`}
                value={s.id}
                checked={s.id === shown.id}
                onChange={() => setChoice(s.id)}
                className="size-4 accent-accent"
              />
              {s.client}
            </label>
          ))}
        </fieldset>
      ) : null}
      <SnippetBlock snippet={shown} build={(token) => build(shown.id, token)} />
    </div>
  );
}

/** "Test": a dry run of the key for the job, from the server, and its answer (cleared when the job changes). */
function KeyTest({
  test,
  job,
  disabled,
}: {
  test: (job: string) => Promise<TestOutcome>;
  job: string;
  disabled: boolean;
}) {
  const [outcome, setOutcome] = useState<TestOutcome | null>(null);
  const [testing, startTesting] = useTransition();
  return (
    <div className="flex flex-col gap-3 border-t border-border pt-4">
      <div className="flex flex-wrap items-center gap-3">
        <Button
          variant="secondary"
          disabled={testing || disabled}
          onClick={() =>
            startTesting(async () => {
              const result = await test(job);
              setOutcome(result);
              if (!result.ok) toast.error(result.message ?? 'The test could not run');
            })
          }
        >
          {testing ? 'Testing…' : 'Test'}
        </Button>
        <p className="text-sm text-fg-muted">
          Sends a dry run for <code>{job}</code> from the server: checks the key and the job without starting
          a run.
        </p>
      </div>
      {outcome ? (
        outcome.result ? (
          <div role="status" aria-label="Test result" className="rounded-md border border-border">
            <p
              className={`border-b border-border px-3 py-2 text-sm font-medium ${outcome.result.ok ? 'text-emerald-700 dark:text-emerald-300' : 'text-danger'}`}
            >
              {outcome.result.status} {outcome.result.ok ? 'OK: the key would start this job' : 'Refused'}
            </p>
            <pre className="p-3 font-mono text-xs whitespace-pre-wrap wrap-anywhere text-fg">
              {JSON.stringify(outcome.result.body, null, 2)}
            </pre>
          </div>
        ) : (
          <Alert tone="danger">{outcome.message}</Alert>
        )
      ) : null}
    </div>
  );
}

/**
 * The endpoint, a job to start, the snippets for it, and a dry run from the server. The snippets hold a
 * placeholder until the token is revealed; copying one with the token asks for it (one audit event).
 */
export function KeySnippets({
  endpoint,
  jobs,
  defaultJob,
  test,
}: {
  endpoint: string;
  jobs: { id: string; name: string }[];
  defaultJob: string;
  test: ((job: string) => Promise<TestOutcome>) | null;
}) {
  const { token, canReveal } = useKeySecret();
  const [job, setJob] = useState(defaultJob);
  const snippets = useMemo(
    () => buildSnippets({ endpoint, token: token ?? PLACEHOLDER, job }),
    [endpoint, token, job],
  );
  const build = (id: string, whole: string) =>
    buildSnippets({ endpoint, token: whole, job }).find((s) => s.id === id)!.code;

  return (
    <div className="flex flex-col gap-5">
      <div className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_16rem]">
        <div className="min-w-0">
          <Label htmlFor="endpoint">Endpoint</Label>
          <div className="flex gap-2">
            <Input
              id="endpoint"
              readOnly
              value={endpoint}
              className="min-w-0 font-mono text-xs"
              onFocus={(e) => e.currentTarget.select()}
            />
            <CopyButton text={endpoint} className="h-10 shrink-0" aria-label="Copy endpoint" />
          </div>
          <FieldHint>
            <code>POST</code> with header <code>x-api-key</code> and body{' '}
            <code>{'{"id":"<job>","params":{}}'}</code>; answers 202 with the run.
          </FieldHint>
        </div>
        <div>
          <Label htmlFor="snippet-job">Job</Label>
          <Select
            id="snippet-job"
            value={job}
            onChange={(e) => setJob(e.target.value)}
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
          The snippets show <code>{PLACEHOLDER}</code> where the token goes.{' '}
          {canReveal
            ? 'Copy puts the whole token in (recorded in the audit log), or reveal it above.'
            : 'You may not see this key’s token.'}
        </Alert>
      )}

      <Tabs
        label="Snippets"
        items={LANGUAGES.map((language) => ({
          id: language.id,
          label: language.label,
          content: (
            <LanguageSnippets snippets={snippets.filter((s) => s.language === language.id)} build={build} />
          ),
        }))}
      />

      {test ? <KeyTest key={job} test={test} job={job} disabled={jobs.length === 0} /> : null}
    </div>
  );
}
