'use client';

import { useMemo, useState, useTransition } from 'react';
import { toast } from 'sonner';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { FieldHint, Input, Label, Select } from '@/components/ui/input';
import { Tabs } from '@/components/ui/tabs';
import { useKeySecret } from './key-secret';
import { exampleParams } from '@/lib/params-example';
import { ExportLine, KeySourceSwitch, PLACEHOLDER, ParamsEditor } from './snippet-controls';
import { API_KEY_ENV, buildSnippets, type KeySource, type Snippet, type SnippetLanguage } from './snippets';

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
function SnippetBlock({
  snippet,
  build,
  keyFrom,
}: {
  snippet: Snippet;
  build: (token: string) => string;
  keyFrom: KeySource;
}) {
  const { token, canReveal, busy, copy } = useKeySecret();
  return (
    <div>
      <div className="mb-2 flex items-center justify-between gap-2">
        <p className="text-xs text-fg-muted">
          {keyFrom === 'env'
            ? `Reads the key from ${API_KEY_ENV}.`
            : token
              ? 'With the whole token.'
              : `With ${PLACEHOLDER} in place of the token.`}
        </p>
        {canReveal && keyFrom === 'inline' ? (
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
  keyFrom,
}: {
  snippets: Snippet[];
  build: (id: string, token: string) => string;
  keyFrom: KeySource;
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
      <SnippetBlock snippet={shown} build={(token) => build(shown.id, token)} keyFrom={keyFrom} />
    </div>
  );
}

/** "Test": a dry run of the key for the job, from the server, and its answer (cleared when the job changes). */
function KeyTest({
  test,
  job,
  params,
  disabled,
}: {
  test: (job: string, params: Record<string, unknown>) => Promise<TestOutcome>;
  job: string;
  params: Record<string, unknown>;
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
              const result = await test(job, params);
              setOutcome(result);
              if (!result.ok) toast.error(result.message ?? 'The test could not run');
            })
          }
        >
          {testing ? 'Testing…' : 'Test'}
        </Button>
        <p className="text-sm text-fg-muted">
          Sends a dry run for <code>{job}</code> with these params from the server: checks the key, the job
          and the params without starting a run.
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

export interface SnippetJob {
  id: string;
  name: string;
  paramsSchema?: unknown;
}

function paramsText(job: SnippetJob | undefined): string {
  return JSON.stringify(exampleParams(job?.paramsSchema), null, 2);
}

/** The params object the text holds, or null when it is not one. */
function parseParams(text: string): Record<string, unknown> | null {
  if (text.trim() === '') return {};
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** The endpoint to call and the job the snippets start. */
function EndpointAndJob({
  endpoint,
  jobs,
  job,
  onJob,
}: {
  endpoint: string;
  jobs: SnippetJob[];
  job: string;
  onJob: (name: string) => void;
}) {
  return (
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
          <code>{'{"id":"<job>","params":{…}}'}</code>; answers 202 with the run.
        </FieldHint>
      </div>
      <div>
        <Label htmlFor="snippet-job">Job</Label>
        <Select
          id="snippet-job"
          value={job}
          onChange={(e) => onJob(e.target.value)}
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
  );
}

/**
 * The endpoint, a job to start with its params, the snippets for it, and a dry run from the server. The
 * snippets hold a placeholder until the token is revealed; copying one with the token asks for it (one
 * audit event). The params start as the job's schema describes them (defaults, examples, enum values).
 */
export function KeySnippets({
  endpoint,
  jobs,
  defaultJob,
  test,
}: {
  endpoint: string;
  jobs: SnippetJob[];
  defaultJob: string;
  test: ((job: string, params: Record<string, unknown>) => Promise<TestOutcome>) | null;
}) {
  const { token, canReveal } = useKeySecret();
  const [job, setJob] = useState(defaultJob);
  const [text, setText] = useState(() => paramsText(jobs.find((j) => j.name === defaultJob)));
  const [params, setParams] = useState<Record<string, unknown>>(() => parseParams(text) ?? {});
  const [keyFrom, setKeyFrom] = useState<KeySource>('inline');
  const invalid = parseParams(text) === null;
  const snippets = useMemo(
    () => buildSnippets({ endpoint, token: token ?? PLACEHOLDER, job, params, keyFrom }),
    [endpoint, token, job, params, keyFrom],
  );
  const build = (id: string, whole: string) =>
    buildSnippets({ endpoint, token: whole, job, params, keyFrom }).find((s) => s.id === id)!.code;

  const chooseJob = (name: string) => {
    const next = paramsText(jobs.find((j) => j.name === name));
    setJob(name);
    setText(next);
    setParams(parseParams(next) ?? {});
  };
  const editParams = (next: string) => {
    setText(next);
    const parsed = parseParams(next);
    if (parsed) setParams(parsed);
  };

  return (
    <div className="flex flex-col gap-5">
      <EndpointAndJob endpoint={endpoint} jobs={jobs} job={job} onJob={chooseJob} />

      <ParamsEditor text={text} invalid={invalid} onChange={editParams} />

      <KeySourceSwitch value={keyFrom} onChange={setKeyFrom} />
      {keyFrom === 'env' ? <ExportLine /> : null}

      {token || keyFrom === 'env' ? null : (
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
            <LanguageSnippets
              snippets={snippets.filter((s) => s.language === language.id)}
              build={build}
              keyFrom={keyFrom}
            />
          ),
        }))}
      />

      {test ? (
        <KeyTest key={job} test={test} job={job} params={params} disabled={jobs.length === 0 || invalid} />
      ) : null}
    </div>
  );
}
