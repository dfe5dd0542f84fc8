import {
  claimsText,
  createApiKeySchema,
  expiryFrom,
  fieldNameSchema,
  type CreateApiKeyInput,
} from '@/lib/validations/api-key';

// Pure helpers of the create-key form: the payload preview and its token size, and which server error
// paths the form shows beside a field.

const ID_PLACEHOLDER = '(assigned when created)';

function base64urlLength(text: string): number {
  return Math.ceil((new TextEncoder().encode(text).length * 4) / 3);
}

/** The size of the token these claims make: header, payload and a 32-byte HS256 signature, base64url. */
export function tokenBytes(headerText: string, payloadText: string): number {
  return base64urlLength(headerText) + 1 + base64urlLength(payloadText) + 1 + 43;
}

type Values = Partial<Omit<CreateApiKeyInput, 'fields'>> & {
  fields?: ({ name?: string; value?: string } | undefined)[];
};

/** The expiry the key would get, or undefined while none (or no valid date) is chosen. */
function previewExpiry(values: Values, now: number): number | undefined {
  if (values.expires === 'date' && !values.expiresAt) return undefined;
  try {
    const exp = expiryFrom({ expires: values.expires ?? 'never', expiresAt: values.expiresAt ?? '' }, now);
    return exp !== undefined && Number.isNaN(exp) ? undefined : exp;
  } catch {
    return undefined;
  }
}

/** Only fields the key can carry: a reserved, invalid or repeated name is flagged beside its row instead. */
function carriedFields(values: Values): { name: string; value: string }[] {
  const seen = new Set<string>();
  const rows: { name: string; value: string }[] = [];
  for (const field of values.fields ?? []) {
    const name = field?.name ?? '';
    if (!fieldNameSchema.safeParse(name).success || seen.has(name)) continue;
    seen.add(name);
    rows.push({ name, value: field?.value ?? '' });
  }
  return rows;
}

/** The payload the key will carry, as the user types (id and iat are set when it is created), and its size. */
export function payloadPreview(
  values: Values,
  { orgSlug, kid, now }: { orgSlug: string; kid: string; now: number },
): { json: string; bytes: number } {
  const rows = carriedFields(values);
  const base = {
    app: values.name?.trim() ?? '',
    uid: values.selector?.trim() ?? '',
    org: orgSlug,
    iat: Math.floor(now / 1000),
    exp: previewExpiry(values, now),
  };
  const shown = claimsText({ ...base, id: ID_PLACEHOLDER }, rows);
  const sized = claimsText({ ...base, id: '00000000-0000-0000-0000-000000000000' }, rows);
  const bytes = tokenBytes(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid }), sized);
  return { json: JSON.stringify(JSON.parse(shown), null, 2), bytes };
}

// The form has no rate limit field (the key's page sets it): its errors go to the message on top.
const NOT_SHOWN = new Set(['rateLimit']);
const TOP_FIELDS = new Set(Object.keys(createApiKeySchema.shape).filter((name) => !NOT_SHOWN.has(name)));
const ROW_FIELDS = new Set(Object.keys(createApiKeySchema.shape.fields.unwrap().element.shape));

/** Whether the form shows a server error with this path beside a field (`name`, `fields.2.value`). */
export function shownPath(path: string): boolean {
  if (TOP_FIELDS.has(path)) return true;
  const row = path.match(/^fields\.\d+\.(\w+)$/);
  return row !== null && ROW_FIELDS.has(row[1]);
}

export const tooBigMessage = (bytes: number, max: number) =>
  `The token would be about ${bytes} bytes; ${max} at most. Shorten the additional fields.`;
