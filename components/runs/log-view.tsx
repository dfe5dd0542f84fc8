'use client';

import { useParams } from 'next/navigation';
import { memo, useCallback, useLayoutEffect, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import type { LogLine } from './types';

const STREAM_LABEL: Record<LogLine['stream'], string> = {
  stdout: '',
  stderr: 'stderr: ',
  system: 'system: ',
};

const Line = memo(function Line({ line }: { line: LogLine }) {
  return (
    <div
      data-stream={line.stream}
      data-seq={line.seq}
      className={cn(
        'grid grid-cols-[3.5rem_2.25rem_minmax(0,1fr)] border-l-2 pr-3 leading-5',
        line.stream === 'stderr' &&
          'border-red-500 bg-red-50 text-red-800 dark:border-red-400 dark:bg-red-400/10 dark:text-red-200',
        line.stream === 'system' && 'border-sky-500/70 text-fg-muted italic',
        line.stream === 'stdout' && 'border-transparent text-fg',
      )}
    >
      <span aria-hidden="true" className="pr-3 text-right text-fg-muted tabular-nums select-none">
        {line.seq}
      </span>
      <span
        aria-hidden="true"
        className="text-[10px] leading-5 font-semibold tracking-wide uppercase select-none"
      >
        {line.stream === 'stderr' ? 'err' : line.stream === 'system' ? 'sys' : ''}
      </span>
      <span data-line-text className="break-words whitespace-pre-wrap">
        <span className="sr-only">{STREAM_LABEL[line.stream]}</span>
        {line.text || '\u00a0'}
      </span>
    </div>
  );
});

/**
 * Older lines on demand: the page opens at the end of the log (the last 500 lines); "Show earlier lines"
 * reads the 500 before the first one shown (?before=<seq>) and keeps the scroll position.
 */
function useEarlierLines(runId: string | undefined, firstSeq: number | undefined) {
  const [earlier, setEarlier] = useState<LogLine[]>([]);
  const [more, setMore] = useState<boolean | null>(null);
  const [state, setState] = useState<'idle' | 'loading' | 'failed'>('idle');
  const first = earlier[0]?.seq ?? firstSeq;
  const hasMore = Boolean(runId) && first !== undefined && first > 1 && more !== false;
  const load = async () => {
    if (!runId || first === undefined) return;
    setState('loading');
    try {
      const res = await fetch(`/api/console/runs/${encodeURIComponent(runId)}/logs?before=${first}`, {
        cache: 'no-store',
      });
      if (!res.ok) throw new Error(`status ${res.status}`);
      const body = (await res.json()) as { lines: LogLine[]; prev: number | null };
      setEarlier((prev) => [...body.lines.filter((l) => l.seq < first), ...prev]);
      setMore(body.prev !== null);
      setState('idle');
    } catch {
      setState('failed');
    }
  };
  return { earlier, hasMore, state, load };
}

function EarlierLinesButton({ state, onClick }: { state: string; onClick: () => void }) {
  return (
    <div className="px-3 pb-2 font-sans">
      <Button size="sm" variant="ghost" onClick={onClick} disabled={state === 'loading'}>
        {state === 'loading'
          ? 'Reading earlier lines…'
          : state === 'failed'
            ? 'Could not read earlier lines: try again'
            : 'Show earlier lines'}
      </Button>
    </div>
  );
}

/** The blinking block after the last line of a run still writing. */
function LiveCursor() {
  return (
    <div
      aria-hidden="true"
      className="grid grid-cols-[3.5rem_2.25rem_minmax(0,1fr)] border-l-2 border-transparent leading-5"
    >
      <span />
      <span />
      <span className="inline-block h-4 w-2 translate-y-0.5 bg-fg-muted/60 motion-safe:animate-pulse" />
    </div>
  );
}

/**
 * A run's log in order, stdout plain, stderr red with an "err" mark (and "stderr:" for screen readers),
 * system notes muted. Follows new lines while scrolled to the bottom; scrolling up stops following until
 * "Jump to latest".
 */
export function LogView({
  lines: latest,
  live,
  emptyText,
}: {
  lines: LogLine[];
  live: boolean;
  emptyText: string;
}) {
  const boxRef = useRef<HTMLDivElement>(null);
  const [follow, setFollow] = useState(true);
  const runId = useParams<{ runId?: string }>()?.runId;
  const { earlier, hasMore, state, load } = useEarlierLines(runId, latest[0]?.seq);
  const lines = earlier.length ? [...earlier, ...latest] : latest;
  // Lines put above the ones shown must not move what the reader is looking at.
  const heightBefore = useRef<number | null>(null);
  useLayoutEffect(() => {
    const el = boxRef.current;
    if (el && heightBefore.current !== null) el.scrollTop += el.scrollHeight - heightBefore.current;
    heightBefore.current = null;
  }, [earlier.length]);
  const loadEarlier = () => {
    heightBefore.current = boxRef.current?.scrollHeight ?? null;
    void load();
  };

  const onScroll = useCallback(() => {
    const el = boxRef.current;
    if (!el) return;
    setFollow(el.scrollHeight - el.scrollTop - el.clientHeight < 32);
  }, []);

  useLayoutEffect(() => {
    const el = boxRef.current;
    if (el && follow) el.scrollTop = el.scrollHeight;
  }, [lines.length, follow]);

  const jump = () => {
    const el = boxRef.current;
    if (el) el.scrollTop = el.scrollHeight;
    setFollow(true);
  };

  return (
    <div className="relative">
      <div
        ref={boxRef}
        onScroll={onScroll}
        role="log"
        aria-label="Run log"
        aria-live={live ? 'polite' : 'off'}
        tabIndex={0}
        data-testid="run-log"
        className="max-h-[32rem] min-h-32 overflow-y-auto rounded-md border border-border bg-surface-muted/60 py-2 font-mono text-xs focus-visible:outline-offset-0"
      >
        {hasMore ? <EarlierLinesButton state={state} onClick={loadEarlier} /> : null}
        {lines.length === 0 ? (
          <p className="px-4 py-6 text-center font-sans text-sm text-fg-muted">{emptyText}</p>
        ) : (
          lines.map((line) => <Line key={line.seq} line={line} />)
        )}
        {live && lines.length > 0 ? <LiveCursor /> : null}
      </div>
      {!follow && lines.length > 0 ? (
        <Button size="sm" variant="secondary" onClick={jump} className="absolute right-4 bottom-3 shadow-md">
          <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4">
            <path
              fill="currentColor"
              d="M10 3a1 1 0 0 1 1 1v9.6l3.3-3.3a1 1 0 1 1 1.4 1.4l-5 5a1 1 0 0 1-1.4 0l-5-5a1 1 0 1 1 1.4-1.4L9 13.6V4a1 1 0 0 1 1-1Z"
            />
          </svg>
          {live ? 'Follow new lines' : 'Jump to the end'}
        </Button>
      ) : null}
    </div>
  );
}
