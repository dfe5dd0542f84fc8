import { Alert } from '@/components/ui/alert';
import { CopyButton } from '@/components/ui/copy-button';

/** A signing secret, shown once after create or rotate: it is not stored anywhere a page can show again. */
export function SecretOnce({ secret }: { secret: string }) {
  return (
    <Alert tone="success" className="flex flex-col gap-2">
      <p className="font-medium">Copy the signing secret now: it is not shown again.</p>
      <div className="flex flex-wrap items-center gap-2">
        <code
          aria-label="Signing secret"
          className="rounded bg-surface px-2 py-1 font-mono text-xs break-all"
        >
          {secret}
        </code>
        <CopyButton text={secret} label="Copy" aria-label="Copy the signing secret" />
      </div>
      <p className="text-xs">
        Verify each delivery with it as the Standard Webhooks libraries do (headers webhook-id,
        webhook-timestamp, webhook-signature).
      </p>
    </Alert>
  );
}
