import { RUN_STATUS_LABELS } from '@/components/ui/badge';
import { FilterForm, FilterSelect } from '@/components/ui/filter-form';
import { TRIGGER_LABELS } from './format';

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
  return (
    <FilterForm label="Filter runs" clearHref="/runs" filtered={Boolean(status || job || trigger)}>
      <FilterSelect
        id="run-status"
        name="status"
        label="Status"
        value={status}
        anyLabel="Any status"
        options={Object.entries(RUN_STATUS_LABELS)}
      />
      <FilterSelect
        id="run-job"
        name="job"
        label="Job"
        value={job}
        anyLabel="Any job"
        options={jobs.map((j) => [j.id, j.name] as const)}
        className="w-56"
      />
      <FilterSelect
        id="run-trigger"
        name="trigger"
        label="Started from"
        value={trigger}
        anyLabel="Anywhere"
        options={Object.entries(TRIGGER_LABELS)}
      />
    </FilterForm>
  );
}
