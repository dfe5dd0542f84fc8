import { FilterForm } from '@/components/ui/filter-form';
import { Input, Label, Select } from '@/components/ui/input';
import { ACTION_LABELS } from './audit-labels';

const GROUPS = [
  ['keys', 'All key events'],
  ['members', 'All member events'],
  ['jobs', 'All job events'],
] as const;

/** The audit log's filter: a plain GET form. */
export function AuditFilters({ action, actor, target }: { action: string; actor: string; target: string }) {
  return (
    <FilterForm label="Filter the audit log" clearHref="/audit" filtered={Boolean(action || actor || target)}>
      <div className="w-56">
        <Label htmlFor="audit-action">Action</Label>
        <Select id="audit-action" name="action" defaultValue={action}>
          <option value="">Every action</option>
          <optgroup label="Groups">
            {GROUPS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </optgroup>
          <optgroup label="Actions">
            {Object.entries(ACTION_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </optgroup>
        </Select>
      </div>
      <div className="min-w-56 flex-1">
        <Label htmlFor="audit-actor">Actor</Label>
        <Input
          id="audit-actor"
          name="actor"
          type="search"
          defaultValue={actor}
          placeholder="Email or key name"
        />
      </div>
      {target ? <input type="hidden" name="target" value={target} /> : null}
    </FilterForm>
  );
}
