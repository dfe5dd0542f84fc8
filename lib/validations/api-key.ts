import { z } from 'zod';

// Shared by the create form (react-hook-form + zodResolver) and server/keys: one schema, one set of rules.

/** Claims the product sets itself; additional fields may not use these names. */
export const RESERVED_CLAIMS = [
  'app',
  'uid',
  'org',
  'id',
  'iat',
  'exp',
  'nbf',
  'iss',
  'aud',
  'jti',
  'sub',
] as const;
export const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
export const MAX_FIELDS = 20;
export const MAX_TOKEN_BYTES = 4096;

/**
 * A key's state as people see it (server/keys/key-status.ts decides it). `expiring`: expires within a
 * week. `rolling`: replaced by a newer key, still accepted until the new key is first used or the grace
 * period ends.
 */
export const KEY_STATUSES = ['active', 'expiring', 'rolling', 'expired', 'revoked'] as const;
export type KeyStatus = (typeof KEY_STATUSES)[number];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A value typed in a form: JSON keeps its type (`3`, `true`, `["a"]`), anything else is a string. */
export function parseFieldValue(raw: string): JsonValue {
  const text = raw.trim();
  if (text === '') return raw;
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return raw;
  }
}

export const fieldNameSchema = z
  .string()
  .regex(FIELD_NAME, 'Use letters, digits and _, starting with a letter or _ (64 at most)')
  .refine((name) => !(RESERVED_CLAIMS as readonly string[]).includes(name), {
    message: `Reserved: ${RESERVED_CLAIMS.join(', ')} are set by the product`,
  });

export const EXPIRY_CHOICES = ['never', '30d', '90d', '1y', 'date'] as const;

export const createApiKeySchema = z
  .object({
    name: z.string().trim().min(1, 'Give the key a name').max(100, '100 characters at most'),
    selector: z
      .string()
      .trim()
      .min(1, 'Give the key a selector')
      .max(100, '100 characters at most')
      .regex(/^[\w.@:-]+$/, 'Letters, digits and _ . @ : - only'),
    description: z.string().trim().max(500, '500 characters at most').default(''),
    type: z.enum(['personal', 'functional']),
    expires: z.enum(EXPIRY_CHOICES),
    /** The chosen date (yyyy-mm-dd or an ISO time) when expires is "date". */
    expiresAt: z.string().trim().max(40).default(''),
    jobScope: z.enum(['all', 'chosen']),
    jobIds: z.array(z.uuid('Not a job id')).max(200).default([]),
    fields: z
      .array(z.object({ name: fieldNameSchema, value: z.string().max(2000, '2000 characters at most') }))
      .max(MAX_FIELDS, `${MAX_FIELDS} fields at most`)
      .default([]),
    /** Requests a minute; empty uses the default, 0 means no limit. */
    rateLimit: z.number().int().min(0).max(1_000_000).nullable().default(null),
  })
  .superRefine((input, ctx) => {
    const seen = new Set<string>();
    input.fields.forEach((field, i) => {
      if (seen.has(field.name))
        ctx.addIssue({ code: 'custom', path: ['fields', i, 'name'], message: 'This name is already used' });
      seen.add(field.name);
    });
    if (input.expires === 'date') {
      const at = Date.parse(input.expiresAt);
      if (Number.isNaN(at)) ctx.addIssue({ code: 'custom', path: ['expiresAt'], message: 'Choose a date' });
      else if (at <= Date.now())
        ctx.addIssue({ code: 'custom', path: ['expiresAt'], message: 'Choose a date in the future' });
    }
    if (input.jobScope === 'chosen' && input.jobIds.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['jobIds'],
        message: 'Choose at least one job, or allow all jobs',
      });
    }
  });

export type CreateApiKeyInput = z.input<typeof createApiKeySchema>;
export type CreateApiKeyValues = z.output<typeof createApiKeySchema>;

/** Seconds since the epoch at which a key made now with these choices expires; undefined = never. */
export function expiryFrom(
  values: Pick<CreateApiKeyValues, 'expires' | 'expiresAt'>,
  nowMs: number,
): number | undefined {
  const day = 86_400;
  const now = Math.floor(nowMs / 1000);
  switch (values.expires) {
    case 'never':
      return undefined;
    case '30d':
      return now + 30 * day;
    case '90d':
      return now + 90 * day;
    case '1y':
      return now + 365 * day;
    case 'date':
      return Math.floor(Date.parse(values.expiresAt) / 1000);
  }
}

/** The payload as exact JSON text in a fixed order; the token is re-signed from this text. */
export function claimsText(
  base: { app: string; uid: string; org: string; id: string; iat: number; exp?: number },
  fields: ReadonlyArray<{ name: string; value: string }>,
): string {
  const claims: Record<string, JsonValue> = {
    app: base.app,
    uid: base.uid,
    org: base.org,
    id: base.id,
    iat: base.iat,
  };
  if (base.exp !== undefined) claims.exp = base.exp;
  for (const field of fields) claims[field.name] = parseFieldValue(field.value);
  return JSON.stringify(claims);
}

export const updateApiKeySchema = z.object({
  name: z.string().trim().min(1, 'Give the key a name').max(100, '100 characters at most'),
  description: z.string().trim().max(500, '500 characters at most').default(''),
});

export type UpdateApiKeyInput = z.input<typeof updateApiKeySchema>;

/** How long the old key of a roll keeps working if the new key is not used first. */
export const GRACE_HOURS = [1, 24, 72, 168] as const;
export const DEFAULT_GRACE_HOURS = 24;

export const rollApiKeySchema = z.object({
  graceHours: z.coerce
    .number()
    .int()
    .refine((h) => (GRACE_HOURS as readonly number[]).includes(h), `One of ${GRACE_HOURS.join(', ')} hours`)
    .default(DEFAULT_GRACE_HOURS),
});

export type RollApiKeyInput = z.input<typeof rollApiKeySchema>;

/** The additional fields of a payload (everything but the product's own claims), as form rows. */
export function additionalFields(payload: Record<string, unknown>): { name: string; value: string }[] {
  return Object.entries(payload)
    .filter(([name]) => !(RESERVED_CLAIMS as readonly string[]).includes(name))
    .map(([name, value]) => ({ name, value: JSON.stringify(value) }));
}

/** Why the console asks for a key's whole token: to show it, or to copy it (alone or in a snippet). */
export const revealPurposeSchema = z.discriminatedUnion('purpose', [
  z.object({ purpose: z.literal('reveal') }).strict(),
  z.object({ purpose: z.literal('copy'), what: z.string().trim().min(1).max(40) }).strict(),
]);

/** "Test" on a key's page: the job and the params the snippets hold, checked as a dry run. */
export const testKeySchema = z.object({
  job: z.string().min(1, 'Choose a job').max(200, 'Choose a job'),
  params: z
    .record(z.string(), z.unknown())
    .refine((p) => JSON.stringify(p).length <= 64 * 1024, 'At most 64 KiB of params'),
});

/** The password typed again before a token is shown. */
export const confirmPasswordSchema = z.object({
  password: z.string().min(1, 'Type your password').max(1024),
});
