import Link from 'next/link';
import { formatTime } from '@/components/runs/format';
import { Badge } from '@/components/ui/badge';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { SchedulePreview } from './schedule-preview';

export interface ScheduleView {
  id: string;
  cron: string;
  timezone: string;
  enabled: boolean;
  lastTickAt: Date | null;
  lastRunId: string | null;
  lastSkippedAt: Date | null;
  lastSkipReason: string | null;
}

/** The job page's schedules: readings, next times, the last run and the last skipped tick with its reason. */
export function ScheduleList({ schedules }: { schedules: ScheduleView[] }) {
  if (schedules.length === 0) return null;
  return (
    <Card>
      <CardHeader title="Schedules" />
      <CardBody className="flex flex-col gap-4">
        {schedules.map((s) => (
          <div key={s.id} className="flex flex-col gap-2 text-sm">
            <p className="flex items-center gap-2">
              <code className="font-mono">{s.cron}</code>
              {s.enabled ? <Badge tone="success">On</Badge> : <Badge>Off</Badge>}
            </p>
            {s.enabled ? <SchedulePreview cron={s.cron} timezone={s.timezone} /> : null}
            {s.lastRunId ? (
              <p className="text-xs text-fg-muted">
                Last tick {formatTime(s.lastTickAt)}:{' '}
                <Link href={`/runs/${s.lastRunId}`} className="font-medium text-accent underline">
                  its run
                </Link>
              </p>
            ) : null}
            {s.lastSkippedAt ? (
              <p className="text-xs text-fg-muted">
                Skipped {formatTime(s.lastSkippedAt)}: {s.lastSkipReason}
              </p>
            ) : null}
          </div>
        ))}
      </CardBody>
    </Card>
  );
}
