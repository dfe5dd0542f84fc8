import Link from 'next/link';
import {
  OUTCOME_LABELS,
  OUTCOMES,
  RANGES,
  type KeyRequestRow,
  type Outcome,
  type UsageRange,
} from '@/lib/key-usage';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { cn } from '@/components/ui/cn';
import { formatTime, relativeTime } from './format';
import { OUTCOME_COLORS, UsageChart, type ChartPoint } from './usage-chart';

interface Props {
  /** The page these views live on; links keep its path and change the query. */
  path: string;
  range: UsageRange;
  outcome: Outcome | null;
  usage: { points: ChartPoint[]; totals: Record<Outcome, number> };
  log: { items: KeyRequestRow[]; next: string | null };
  /** On the organisation's view: each request names its key. */
  showKey?: boolean;
}

const RANGE_LABELS: Record<UsageRange, string> = { '24h': '24 hours', '7d': '7 days', '30d': '30 days' };
const BUCKET: Record<UsageRange, string> = { '24h': 'hour', '7d': '6 hours', '30d': 'day' };

function href(path: string, query: Record<string, string | null>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value) params.set(name, value);
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

const pill = (active: boolean) =>
  cn(
    'inline-flex min-h-8 items-center rounded-md px-2.5 text-sm font-medium whitespace-nowrap focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring',
    active ? 'bg-accent-soft text-accent' : 'text-fg-muted hover:bg-surface-muted hover:text-fg',
  );

function tone(status: number): BadgeTone {
  if (status < 300) return 'success';
  if (status === 429 || status === 409) return 'warning';
  return 'danger';
}

type ViewProps = Pick<Props, 'path' | 'range' | 'outcome'>;

/** The usage chart with its period links and totals by outcome. */
function UsageCard({
  path,
  range,
  outcome,
  usage,
  total,
  summary,
}: ViewProps & { usage: Props['usage']; total: number; summary: string }) {
  return (
    <Card>
      <CardHeader
        title="Usage"
        description={`Requests to the job API per ${BUCKET[range]}, by outcome (UTC).`}
        actions={
          <nav aria-label="Usage period" className="flex gap-1">
            {(Object.keys(RANGES) as UsageRange[]).map((r) => (
              <Link
                key={r}
                href={href(path, { range: r, outcome })}
                scroll={false}
                aria-current={r === range ? 'true' : undefined}
                className={pill(r === range)}
              >
                {RANGE_LABELS[r]}
              </Link>
            ))}
          </nav>
        }
      />
      <CardBody className="flex flex-col gap-4">
        <ul
          aria-label={`Requests in the last ${RANGE_LABELS[range]} by outcome`}
          className="flex flex-wrap gap-x-5 gap-y-2 text-sm"
          data-testid="usage-totals"
        >
          <li className="font-medium text-fg">
            Total <span data-outcome="total">{total}</span>
          </li>
          {OUTCOMES.filter((o) => o !== 'other' || usage.totals.other > 0).map((o) => (
            <li key={o} className="inline-flex items-center gap-1.5 text-fg-muted">
              <span
                aria-hidden="true"
                className="size-2.5 rounded-sm"
                style={{ background: OUTCOME_COLORS[o] }}
              />
              {OUTCOME_LABELS[o]}{' '}
              <span className="font-medium text-fg tabular-nums" data-outcome={o}>
                {usage.totals[o]}
              </span>
            </li>
          ))}
        </ul>
        <UsageChart points={usage.points} range={range} summary={summary} />
      </CardBody>
    </Card>
  );
}

/** One request of the log: its answer, job, run, key, address and request id. */
function RequestRow({ r, showKey }: { r: KeyRequestRow; showKey: boolean }) {
  return (
    <li
      className="grid gap-1 px-3 py-2.5 text-sm md:grid-cols-[9rem_minmax(0,1fr)_minmax(0,1fr)] md:items-center md:gap-4"
      data-status={r.status}
    >
      <div className="flex items-center gap-2">
        <Badge tone={tone(r.status)}>{r.status}</Badge>
        <time dateTime={r.at.toISOString()} title={formatTime(r.at)} className="text-xs text-fg-muted">
          {relativeTime(r.at)}
        </time>
      </div>
      <div className="min-w-0 wrap-anywhere">
        {r.status < 300 ? (
          <span className="text-fg">Accepted</span>
        ) : (
          <code className="font-mono text-xs text-fg">{r.code ?? 'refused'}</code>
        )}
        {r.job ? (
          <>
            {' · '}
            <span className="font-mono text-xs">{r.job}</span>
          </>
        ) : null}
        {r.runId ? (
          <>
            {' · '}
            <Link
              href={`/runs/${r.runId}`}
              prefetch={false}
              className="text-accent underline underline-offset-2"
            >
              run {r.runId.slice(0, 8)}
            </Link>
          </>
        ) : null}
        {showKey ? (
          <span className="block text-xs text-fg-muted">
            key{' '}
            <Link
              href={`/integrations/api-keys/${r.apiKeyId}`}
              prefetch={false}
              className="text-accent underline underline-offset-2"
            >
              {r.keyName}
            </Link>
          </span>
        ) : null}
      </div>
      <div className="min-w-0 font-mono text-xs text-fg-muted wrap-anywhere">
        {r.ip ?? '—'} · <span title="Request id">{r.requestId}</span>
      </div>
    </li>
  );
}

/** The request log, filtered by outcome, newest first. */
function RequestsCard({
  path,
  range,
  outcome,
  log,
  showKey,
}: ViewProps & { log: Props['log']; showKey: boolean }) {
  return (
    <Card>
      <CardHeader
        title="Requests"
        description={`The latest requests made with ${showKey ? 'the organisation’s keys' : 'this key'}, refused ones included; kept 30 days.`}
      />
      <CardBody className="flex flex-col gap-4">
        <nav aria-label="Filter requests by outcome" className="flex flex-wrap gap-1">
          <Link
            href={href(path, { range, outcome: null })}
            scroll={false}
            aria-current={outcome === null ? 'true' : undefined}
            className={pill(outcome === null)}
          >
            All
          </Link>
          {OUTCOMES.map((o) => (
            <Link
              key={o}
              href={href(path, { range, outcome: o })}
              scroll={false}
              aria-current={o === outcome ? 'true' : undefined}
              className={pill(o === outcome)}
            >
              {o === 'accepted' ? 'Accepted' : o === 'other' ? 'Other' : o}
            </Link>
          ))}
        </nav>
        {log.items.length === 0 ? (
          <p className="text-sm text-fg-muted">
            {outcome
              ? `No ${OUTCOME_LABELS[outcome].toLowerCase()} requests in the last 30 days.`
              : 'No requests yet. Start a job with a snippet above.'}
          </p>
        ) : (
          <ol
            aria-label="Request log"
            className="divide-y divide-border rounded-md border border-border"
            data-testid="request-log"
          >
            {log.items.map((r) => (
              <RequestRow key={r.id} r={r} showKey={showKey} />
            ))}
          </ol>
        )}
        {log.next ? (
          <Link
            href={href(path, { range, outcome, after: log.next })}
            className="self-start text-sm text-accent underline underline-offset-2"
          >
            Older requests
          </Link>
        ) : null}
      </CardBody>
    </Card>
  );
}

/** Requests over 24 hours, 7 or 30 days by outcome, and the request log filtered by outcome. */
export function KeyUsageView({ path, range, outcome, usage, log, showKey = false }: Props) {
  const total = OUTCOMES.reduce((n, o) => n + usage.totals[o], 0);
  const refused = total - usage.totals.accepted;
  const summary = `Requests per ${BUCKET[range]} over the last ${RANGE_LABELS[range]}: ${total} in all, ${usage.totals.accepted} accepted, ${refused} refused.`;
  return (
    <div className="flex flex-col gap-6">
      <UsageCard path={path} range={range} outcome={outcome} usage={usage} total={total} summary={summary} />
      <RequestsCard path={path} range={range} outcome={outcome} log={log} showKey={showKey} />
    </div>
  );
}
