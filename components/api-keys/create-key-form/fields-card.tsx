'use client';

import { useFieldArray } from 'react-hook-form';
import { MAX_FIELDS } from '@/lib/validations/api-key';
import { Button } from '@/components/ui/button';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { FieldError } from '@/components/ui/input';
import { FieldRow } from './field-row';
import type { KeyFormKit } from './kit';

/** The additional claims, a row each, and why the token would be too big. */
export function FieldsCard({ kit, sizeError }: { kit: KeyFormKit; sizeError: string | null }) {
  const { control, errors } = kit;
  const { fields, append, remove } = useFieldArray({ control, name: 'fields' });
  return (
    <Card>
      <CardHeader
        title="Additional fields"
        description={
          <>
            Extra claims signed into the token, e.g. a team or an environment. A value that is JSON keeps its
            type (<code>3</code>, <code>true</code>, <code>[&quot;a&quot;]</code>); anything else is a string.
          </>
        }
      />
      <CardBody className="flex flex-col gap-4">
        {fields.length === 0 ? <p className="text-sm text-fg-muted">No additional fields.</p> : null}
        {fields.map((row, index) => (
          <FieldRow key={row.id} kit={kit} index={index} onRemove={() => remove(index)} />
        ))}
        <FieldError id="fields-error">
          {errors.fields?.root?.message ?? errors.fields?.message ?? sizeError}
        </FieldError>
        <div>
          <Button
            variant="secondary"
            size="sm"
            disabled={fields.length >= MAX_FIELDS}
            onClick={() => append({ name: '', value: '' }, { shouldFocus: true })}
          >
            <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4">
              <path
                fill="currentColor"
                d="M10 4a1 1 0 0 1 1 1v4h4a1 1 0 1 1 0 2h-4v4a1 1 0 1 1-2 0v-4H5a1 1 0 1 1 0-2h4V5a1 1 0 0 1 1-1Z"
              />
            </svg>
            Add field
          </Button>
          <span className="ml-3 text-xs text-fg-muted">
            {fields.length} of {MAX_FIELDS}
          </span>
        </div>
      </CardBody>
    </Card>
  );
}
