import Link from 'next/link';
import { buttonClasses } from '@/components/ui/button';
import { Label, Select } from '@/components/ui/input';
import { TRIGGER_LABELS } from './format';

const STATUS_LABELS: Record<string, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** Status, job and trigger filters of the runs list: a plain GET form, so it works before scripts load. */
export function RunFilters({
  status,
  job,
  trigger,
  jobs,
}: {
  status: string;
  job: string;
  trigger: string;
  jobs: { id: string; name: string }[];
}) {
  const filtered = Boolean(status || job || trigger);
  return (
    <form method="get" role="search" aria-label="Filter runs" className="mb-4 flex flex-wrap items-end gap-3">
      <div className="w-44">
        <Label htmlFor="run-status">Status</Label>
        <Select id="run-status" name="status" defaultValue={status}>
          <option value="">Any status</option>
          {Object.entries(STATUS_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </Select>
      </div>
      <div className="w-56">
        <Label htmlFor="run-job">Job</Label>
        <Select id="run-job" name="job" defaultValue={job}>
          <option value="">Any job</option>
          {jobs.map((j) => (
            <option key={j.id} value={j.id}>
              {j.name}
            </option>
          ))}
        </Select>
      </div>
      <div className="w-44">
        <Label htmlFor="run-trigger">Started from</Label>
        <Select id="run-trigger" name="trigger" defaultValue={trigger}>
          <option value="">Anywhere</option>
          {Object.entries(TRIGGER_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </Select>
      </div>
      <button type="submit" className={buttonClasses({ variant: 'secondary' })}>
        Apply
      </button>
      {filtered ? (
        <Link href="/runs" className={buttonClasses({ variant: 'ghost' })}>
          Clear
        </Link>
      ) : null}
    </form>
  );
}
