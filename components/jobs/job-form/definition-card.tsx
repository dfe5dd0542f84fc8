'use client';

import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';

/** The definition as the admin CLI reads it, beside the form. */
export function DefinitionCard({ definition }: { definition: string }) {
  return (
    <aside className="min-w-0 xl:sticky xl:top-20 xl:self-start">
      <Card>
        <CardHeader
          title="Definition"
          description="As the admin CLI reads it from a file (job create --file)."
          actions={<CopyButton text={definition} label="Copy" aria-label="Copy the definition" />}
        />
        <CardBody>
          <pre
            // Scrolls when long: keyboard users reach it too.
            tabIndex={0}
            aria-label="Definition preview"
            className="max-h-[36rem] overflow-auto rounded-md bg-surface-muted p-3 font-mono text-xs leading-relaxed break-all whitespace-pre-wrap text-fg"
          >
            {definition}
          </pre>
        </CardBody>
      </Card>
    </aside>
  );
}
