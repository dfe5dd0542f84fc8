'use client';

import Link from 'next/link';
import { MAX_TOKEN_BYTES } from '@/lib/validations/api-key';
import { Alert } from '@/components/ui/alert';
import { Button, buttonClasses } from '@/components/ui/button';
import { AccessCard } from './access-card';
import { FieldsCard } from './fields-card';
import { KeyCard } from './key-card';
import { PayloadCard } from './payload-card';
import { tooBigMessage } from './preview';
import { useCreateKeyForm, type CreateKeyAction } from './use-create-key-form';

/** Create an API key: its name and type, its access, its additional fields, and the payload as you type. */
export function CreateKeyForm({
  action,
  orgSlug,
  kid,
  jobs,
  now,
}: {
  action: CreateKeyAction;
  orgSlug: string;
  kid: string;
  jobs: { id: string; name: string }[];
  /** When the page was rendered (ms): the preview's iat, the earliest expiry date. Same on server and client. */
  now: number;
}) {
  const { kit, values, preview, tooBig, formError, onSubmit, busy } = useCreateKeyForm(action, {
    orgSlug,
    kid,
    now,
  });
  return (
    <form
      method="post"
      noValidate
      onSubmit={onSubmit}
      className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,24rem)]"
    >
      <div className="flex min-w-0 flex-col gap-6">
        {formError ? <Alert tone="danger">{formError}</Alert> : null}
        <KeyCard kit={kit} type={values.type} />
        <AccessCard kit={kit} expires={values.expires} jobScope={values.jobScope} jobs={jobs} now={now} />
        <FieldsCard kit={kit} sizeError={tooBig ? tooBigMessage(preview.bytes, MAX_TOKEN_BYTES) : null} />
        <div className="flex items-center justify-end gap-3">
          <Link href="/integrations/api-keys" className={buttonClasses({ variant: 'ghost' })}>
            Cancel
          </Link>
          {/* No focus on mouse down: the blur would show a field's error, move the button and lose the click. */}
          <Button type="submit" disabled={busy} onMouseDown={(e) => e.preventDefault()}>
            {busy ? 'Creating…' : 'Create API key'}
          </Button>
        </div>
      </div>
      <PayloadCard preview={preview} tooBig={tooBig} kid={kid} />
    </form>
  );
}
