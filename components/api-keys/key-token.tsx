'use client';

import { CopyButton } from '@/components/ui/copy-button';
import { FieldHint, Input, Label } from '@/components/ui/input';

/** The token in a read-only field labelled "API key"; for people who may not see it, the masked form. */
export function KeyToken({ token, masked, note }: { token: string | null; masked: string; note: string }) {
  return (
    <div>
      <Label htmlFor="api-key-token">API key</Label>
      <div className="flex gap-2">
        <Input
          id="api-key-token"
          readOnly
          value={token ?? masked}
          aria-describedby="api-key-token-hint"
          spellCheck={false}
          className="font-mono text-xs"
          onFocus={(e) => e.currentTarget.select()}
        />
        {token ? <CopyButton text={token} className="h-10" aria-label="Copy API key" /> : null}
      </div>
      <FieldHint id="api-key-token-hint">{note}</FieldHint>
    </div>
  );
}
