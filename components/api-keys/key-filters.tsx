import Link from 'next/link';
import { buttonClasses } from '@/components/ui/button';
import { Input, Label, Select } from '@/components/ui/input';
import { KEY_STATUS_LABELS } from './key-status-badge';
import type { KeyStatus } from '@/lib/validations/api-key';

/** Search and status filter of the key list: a plain GET form, so it works before scripts load. */
export function KeyFilters({ q, status }: { q: string; status: string }) {
  const filtered = Boolean(q || status);
  return (
    <form
      method="get"
      role="search"
      aria-label="Filter API keys"
      className="mb-4 flex flex-wrap items-end gap-3"
    >
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
      <div className="w-44">
        <Label htmlFor="key-status">Status</Label>
        <Select id="key-status" name="status" defaultValue={status}>
          <option value="">Any status</option>
          {(Object.keys(KEY_STATUS_LABELS) as KeyStatus[]).map((s) => (
            <option key={s} value={s}>
              {KEY_STATUS_LABELS[s]}
            </option>
          ))}
        </Select>
      </div>
      <button type="submit" className={buttonClasses({ variant: 'secondary' })}>
        Apply
      </button>
      {filtered ? (
        <Link href="/integrations/api-keys" className={buttonClasses({ variant: 'ghost' })}>
          Clear
        </Link>
      ) : null}
    </form>
  );
}
