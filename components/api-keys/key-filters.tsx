import { FilterForm, FilterSelect } from '@/components/ui/filter-form';
import { Input, Label } from '@/components/ui/input';
import { KEY_STATUS_LABELS } from './key-status-badge';

/** Search and status filter of the key list: a plain GET form, so it works before scripts load. */
export function KeyFilters({ q, status }: { q: string; status: string }) {
  return (
    <FilterForm label="Filter API keys" clearHref="/integrations/api-keys" filtered={Boolean(q || status)}>
      <div className="min-w-56 flex-1">
        <Label htmlFor="key-search">Search</Label>
        <Input
          id="key-search"
          name="q"
          type="search"
          defaultValue={q}
          placeholder="Name, selector, description or owner"
        />
      </div>
      <FilterSelect
        id="key-status"
        name="status"
        label="Status"
        value={status}
        anyLabel="Any status"
        options={Object.entries(KEY_STATUS_LABELS)}
      />
    </FilterForm>
  );
}
