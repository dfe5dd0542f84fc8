'use client';

import { MAX_TOKEN_BYTES } from '@/lib/validations/api-key';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { cn } from '@/components/ui/cn';

/** The payload the token will carry and its size, beside the form. */
export function PayloadCard({
  preview,
  tooBig,
  kid,
}: {
  preview: { json: string; bytes: number };
  tooBig: boolean;
  kid: string;
}) {
  return (
    <aside className="min-w-0 lg:sticky lg:top-20 lg:self-start">
      <Card>
        <CardHeader title="Payload" description="What the token will carry, as you type." />
        <CardBody>
          <pre
            aria-label="Payload preview"
            aria-live="polite"
            data-testid="payload-preview"
            className="overflow-x-auto rounded-md bg-surface-muted p-3 font-mono text-xs leading-relaxed text-fg"
          >
            {preview.json}
          </pre>
          <p className={cn('mt-3 text-xs', tooBig ? 'font-medium text-danger' : 'text-fg-muted')}>
            Token size: about {preview.bytes.toLocaleString('en')} of {MAX_TOKEN_BYTES.toLocaleString('en')}{' '}
            bytes
          </p>
          <p className="mt-1 text-xs text-fg-muted">
            Signed with HS256, key id <code>{kid}</code>.
          </p>
        </CardBody>
      </Card>
    </aside>
  );
}
