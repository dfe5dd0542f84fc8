import { Alert } from '@/components/ui/alert';

/** After a link into another of the person's organisations switched the console there. */
export function SwitchedNotice({ switched, orgSlug }: { switched: unknown; orgSlug: string }) {
  if (switched !== orgSlug) return null;
  return (
    <Alert tone="info" className="mb-4">
      This link belongs to the organisation <strong>{orgSlug}</strong>: the console switched to it. Use the
      organisation menu at the top to go back.
    </Alert>
  );
}
