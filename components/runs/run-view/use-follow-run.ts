'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { MAX_LOG_PAGE as LOG_PAGE } from '@/lib/validations/job-api';
import type { PipelineStepView } from '@/lib/validations/pipeline';
import { isFinished, type LogLine, type RunSnapshot } from '@/lib/validations/run';
import { retryDelay } from './run-facts';

export type Connection = 'live' | 'retrying' | 'signed-out' | 'done';

/** Follows a run: polls its log and status every second until it has finished and every line is read. */
export function useFollowRun(
  initialRun: RunSnapshot,
  initialLines: LogLine[],
  initialNext: number,
  initialSteps?: PipelineStepView[],
) {
  const router = useRouter();
  const [run, setRun] = useState(initialRun);
  const [steps, setSteps] = useState(initialSteps); // a pipeline run's steps
  const [lines, setLines] = useState(initialLines);
  const next = useRef(initialNext);
  const complete = isFinished(initialRun.status) && initialLines.length < LOG_PAGE;
  const [connection, setConnection] = useState<Connection>(complete ? 'done' : 'live');

  useEffect(() => {
    if (complete) return;
    let stopped = false;
    let failures = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        for (;;) {
          const res = await fetch(
            `/api/console/runs/${encodeURIComponent(initialRun.id)}/logs?after=${next.current}`,
            { cache: 'no-store' },
          );
          if (stopped) return;
          if (res.status === 401) {
            setConnection('signed-out');
            return;
          }
          if (!res.ok) throw new Error(`status ${res.status}`);
          const body = (await res.json()) as {
            run: RunSnapshot;
            lines: LogLine[];
            next: number;
            steps?: PipelineStepView[];
          };
          if (stopped) return;
          const after = next.current;
          const fresh = body.lines.filter((l) => l.seq > after);
          if (fresh.length) setLines((prev) => [...prev, ...fresh]);
          next.current = Math.max(after, body.next);
          setRun(body.run);
          if (body.steps) setSteps(body.steps);
          failures = 0;
          if (body.lines.length >= LOG_PAGE) continue; // more lines waiting: read them at once
          if (isFinished(body.run.status)) {
            setConnection('done');
            router.refresh();
            return;
          }
          break;
        }
        setConnection('live');
        timer = setTimeout(poll, 1000);
      } catch {
        if (stopped) return;
        failures += 1;
        setConnection('retrying');
        timer = setTimeout(poll, retryDelay(failures));
      }
    };
    timer = setTimeout(poll, initialLines.length >= LOG_PAGE ? 0 : 1000);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
    // Follows one run for the life of the component.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [initialRun.id]);

  return { run, lines, connection, steps };
}

/** The current time, every second while `ticking`. */
export function useNow(start: number, ticking: boolean) {
  const [now, setNow] = useState(start);
  useEffect(() => {
    if (!ticking) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}
