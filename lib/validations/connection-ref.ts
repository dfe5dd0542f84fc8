import { z } from 'zod';

// A value of a job's config that names a connection's field instead of holding it: the worker puts the
// field's value there when it starts a run (docs/connections.md).

export const CONNECTION_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
export const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export const connectionRefSchema = z.strictObject({
  connection: z.string().regex(CONNECTION_NAME, 'Give the name of a connection'),
  field: z.string().regex(FIELD_NAME, 'Give the name of one of its fields'),
});

export type ConnectionRef = z.output<typeof connectionRefSchema>;

export function isConnectionRef(value: unknown): value is ConnectionRef {
  return connectionRefSchema.safeParse(value).success;
}
