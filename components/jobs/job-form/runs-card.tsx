'use client';

import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { CommandFields } from './command-fields';
import { HttpFields } from './http-fields';
import type { JobFormKit } from './kit';
import { TypePicker } from './type-picker';

/** "What it runs": the type, then its fields. */
export function RunsCard({
  kit,
  type,
  commandNote,
}: {
  kit: JobFormKit;
  type: 'command' | 'http' | 'pipeline';
  commandNote: string | null;
}) {
  return (
    <Card>
      <CardHeader
        title="What it runs"
        description="A command on the worker (no shell), or an HTTP request to another service."
      />
      <CardBody className="grid gap-5">
        <TypePicker kit={kit} type={type} />
        {type === 'command' ? (
          <CommandFields kit={kit} commandNote={commandNote} />
        ) : (
          <HttpFields kit={kit} />
        )}
      </CardBody>
    </Card>
  );
}
