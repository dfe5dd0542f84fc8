import { z } from 'zod';
import { CONNECTION_NAME, FIELD_NAME } from './connection-ref';

// A connection as the console form, the admin CLI and the server read it (docs/connections.md).

export interface FieldSpec {
  name: string;
  label: string;
  secret: boolean;
  required: boolean;
  multiline?: boolean;
  hint?: string;
}

export const CONNECTION_TYPES = {
  generic: { label: 'Generic secret', fields: [] as FieldSpec[] },
  postgres: {
    label: 'PostgreSQL / JDBC',
    fields: [
      {
        name: 'url',
        label: 'URL',
        secret: false,
        required: true,
        hint: 'postgresql://host:5432/db or jdbc:postgresql://host:5432/db, without the password',
      },
      { name: 'user', label: 'User', secret: false, required: true },
      { name: 'password', label: 'Password', secret: true, required: true },
    ],
  },
  http_basic: {
    label: 'HTTP basic',
    fields: [
      { name: 'url', label: 'URL (for Test)', secret: false, required: false },
      { name: 'username', label: 'Username', secret: false, required: true },
      { name: 'password', label: 'Password', secret: true, required: true },
    ],
  },
  http_bearer: {
    label: 'HTTP bearer token',
    fields: [
      { name: 'url', label: 'URL (for Test)', secret: false, required: false },
      { name: 'token', label: 'Token', secret: true, required: true },
    ],
  },
  certificate: {
    label: 'Certificate',
    fields: [
      { name: 'certificate', label: 'Certificate (PEM)', secret: false, required: true, multiline: true },
      { name: 'private_key', label: 'Private key (PEM)', secret: true, required: true, multiline: true },
      { name: 'passphrase', label: 'Passphrase', secret: true, required: false },
    ],
  },
} satisfies Record<string, { label: string; fields: FieldSpec[] }>;

export type ConnectionType = keyof typeof CONNECTION_TYPES;
export const CONNECTION_TYPE_NAMES = Object.keys(CONNECTION_TYPES) as [ConnectionType, ...ConnectionType[]];

const fieldValue = z.object({
  name: z.string().regex(FIELD_NAME, 'Letters, digits and _, starting with a letter or _ (64 at most)'),
  value: z.string().max(16_384, 'At most 16 KiB'),
  /** Generic connections only: the other types say which of their fields are secret. */
  secret: z.boolean().default(true),
});

const expiresAt = z
  .union([z.literal(''), z.iso.date('Give a date (YYYY-MM-DD)'), z.iso.datetime({ offset: true })])
  .default('');

export const createConnectionSchema = z
  .object({
    name: z
      .string()
      .trim()
      .regex(CONNECTION_NAME, 'Letters, digits and . _ - (100 at most), starting with a letter or digit'),
    type: z.enum(CONNECTION_TYPE_NAMES),
    scope: z.enum(['shared', 'personal']).default('shared'),
    description: z.string().trim().max(500).default(''),
    expiresAt,
    fields: z.array(fieldValue).max(20, 'At most 20 fields'),
  })
  .superRefine((input, ctx) => {
    const seen = new Set<string>();
    input.fields.forEach((f, i) => {
      if (seen.has(f.name))
        ctx.addIssue({ code: 'custom', path: ['fields', i, 'name'], message: 'Already given' });
      seen.add(f.name);
    });
    const specs: FieldSpec[] = CONNECTION_TYPES[input.type].fields;
    if (specs.length === 0 && input.fields.length === 0)
      ctx.addIssue({ code: 'custom', path: ['fields'], message: 'Give at least one field' });
    for (const spec of specs) {
      const i = input.fields.findIndex((f) => f.name === spec.name);
      if (spec.required && (i < 0 || input.fields[i].value === ''))
        ctx.addIssue({
          code: 'custom',
          path: ['fields', i < 0 ? input.fields.length : i, 'value'],
          message: `Give the ${spec.label.toLowerCase()}`,
        });
    }
    input.fields.forEach((f, i) => {
      if (specs.length > 0 && !specs.some((s) => s.name === f.name))
        ctx.addIssue({
          code: 'custom',
          path: ['fields', i, 'name'],
          message: `A ${CONNECTION_TYPES[input.type].label} connection has no field "${f.name}"`,
        });
    });
  });

export type CreateConnectionInput = z.input<typeof createConnectionSchema>;
export type CreateConnectionValues = z.output<typeof createConnectionSchema>;

/** Replaces the values of some fields (a secret is replaced, never read) and, when given, the expiry. */
export const replaceConnectionSchema = z.object({
  fields: z
    .array(fieldValue.pick({ name: true, value: true }))
    .min(1, 'Give a new value')
    .max(20),
  expiresAt: expiresAt.optional(),
});

export type ReplaceConnectionInput = z.input<typeof replaceConnectionSchema>;

export interface PublicField {
  name: string;
  secret: boolean;
  /** Non-secret fields, for members who may see values; a secret's value is never here. */
  value?: string;
}

/** A connection as the console, the CLI and any other reader get it: secrets only by name. */
export interface PublicConnection {
  id: string;
  name: string;
  type: ConnectionType;
  typeLabel: string;
  scope: 'shared' | 'personal';
  description: string;
  fields: PublicField[];
  expiresAt: string | null;
  status: 'active' | 'expiring' | 'expired';
  lastUsedAt: string | null;
  createdAt: string;
  updatedAt: string;
}
