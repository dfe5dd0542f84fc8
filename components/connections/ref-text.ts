import { connectionRefSchema, type ConnectionRef } from '@/lib/validations/connection-ref';

// The job form edits env and header values as text: a connection reference is shown, and typed, as its
// JSON ({"connection":"warehouse","field":"password"}), and saved as the object the server expects.

export function refsToText(values: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries((values ?? {}) as Record<string, unknown>))
    out[name] = typeof value === 'string' ? value : JSON.stringify(value);
  return out;
}

export function textToRefs(values: Record<string, string>): Record<string, string | ConnectionRef> {
  const out: Record<string, string | ConnectionRef> = {};
  for (const [name, value] of Object.entries(values)) {
    let ref: ConnectionRef | null = null;
    if (value.trimStart().startsWith('{"connection"')) {
      try {
        const parsed = connectionRefSchema.safeParse(JSON.parse(value));
        if (parsed.success) ref = parsed.data;
      } catch {
        // not JSON: the text itself
      }
    }
    out[name] = ref ?? value;
  }
  return out;
}
