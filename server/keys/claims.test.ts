import { describe, expect, it } from 'vitest';
import {
  additionalFields,
  claimsText,
  createApiKeySchema,
  expiryFrom,
  fieldNameSchema,
  parseFieldValue,
  RESERVED_CLAIMS,
} from '../../lib/validations/api-key';
import { keyStatus } from './key-status';

const base = {
  name: 'etl',
  selector: 'etl-1',
  type: 'functional',
  expires: 'never',
  jobScope: 'all',
} as const;

describe('additional fields', () => {
  it('keeps JSON types and treats anything else as a string', () => {
    expect(parseFieldValue('3')).toBe(3);
    expect(parseFieldValue('true')).toBe(true);
    expect(parseFieldValue('["a"]')).toEqual(['a']);
    expect(parseFieldValue('{"a":1}')).toEqual({ a: 1 });
    expect(parseFieldValue('null')).toBe(null);
    expect(parseFieldValue('hello world')).toBe('hello world');
    expect(parseFieldValue('"quoted"')).toBe('quoted');
    expect(parseFieldValue('')).toBe('');
  });

  it('refuses every reserved claim name and invalid names', () => {
    for (const name of RESERVED_CLAIMS) expect(fieldNameSchema.safeParse(name).success, name).toBe(false);
    for (const name of ['1abc', 'a-b', 'a b', '', 'x'.repeat(65), 'é'])
      expect(fieldNameSchema.safeParse(name).success, name).toBe(false);
    for (const name of ['team', '_x', 'A1_b', 'x'.repeat(64)])
      expect(fieldNameSchema.safeParse(name).success, name).toBe(true);
  });

  it('puts the error beside the field that is wrong', () => {
    const result = createApiKeySchema.safeParse({
      ...base,
      fields: [
        { name: 'team', value: 'a' },
        { name: 'exp', value: '1' },
        { name: 'team', value: 'b' },
      ],
    });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toContain('fields.1.name');
    expect(paths).toContain('fields.2.name');
  });

  it('allows 20 fields, not 21', () => {
    const fields = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `f${i}`, value: String(i) }));
    expect(createApiKeySchema.safeParse({ ...base, fields: fields(20) }).success).toBe(true);
    expect(createApiKeySchema.safeParse({ ...base, fields: fields(21) }).success).toBe(false);
  });

  it('round-trips a payload through additionalFields (what roll relies on)', () => {
    const text = claimsText({ app: 'a', uid: 'u', org: 'o', id: 'i', iat: 1 }, [
      { name: 'n', value: '3' },
      { name: 's', value: ' spaced text ' },
      { name: 'q', value: '"3"' },
      { name: 'arr', value: '["a", {"b": null}]' },
    ]);
    const payload = JSON.parse(text);
    expect(payload).toEqual({
      app: 'a',
      uid: 'u',
      org: 'o',
      id: 'i',
      iat: 1,
      n: 3,
      s: ' spaced text ',
      q: '3',
      arr: ['a', { b: null }],
    });
    const again = claimsText({ app: 'a', uid: 'u', org: 'o', id: 'i', iat: 1 }, additionalFields(payload));
    expect(again).toBe(text);
  });
});

describe('claims text', () => {
  it('is in a fixed order, with exp only when the key expires', () => {
    expect(claimsText({ app: 'a', uid: 'u', org: 'o', id: 'i', iat: 10 }, [])).toBe(
      '{"app":"a","uid":"u","org":"o","id":"i","iat":10}',
    );
    expect(
      claimsText({ app: 'a', uid: 'u', org: 'o', id: 'i', iat: 10, exp: 20 }, [{ name: 'x', value: 'true' }]),
    ).toBe('{"app":"a","uid":"u","org":"o","id":"i","iat":10,"exp":20,"x":true}');
  });
});

describe('expiry', () => {
  const now = Date.UTC(2030, 0, 1);
  it('computes exp from the choice', () => {
    expect(expiryFrom({ expires: 'never', expiresAt: '' }, now)).toBeUndefined();
    expect(expiryFrom({ expires: '30d', expiresAt: '' }, now)).toBe(now / 1000 + 30 * 86400);
    expect(expiryFrom({ expires: '90d', expiresAt: '' }, now)).toBe(now / 1000 + 90 * 86400);
    expect(expiryFrom({ expires: '1y', expiresAt: '' }, now)).toBe(now / 1000 + 365 * 86400);
    expect(expiryFrom({ expires: 'date', expiresAt: '2031-01-01T00:00:00Z' }, now)).toBe(
      Date.UTC(2031, 0, 1) / 1000,
    );
  });
  it('refuses a chosen date in the past or missing', () => {
    expect(createApiKeySchema.safeParse({ ...base, expires: 'date', expiresAt: '2000-01-01' }).success).toBe(
      false,
    );
    expect(createApiKeySchema.safeParse({ ...base, expires: 'date', expiresAt: '' }).success).toBe(false);
  });
});

describe('key status', () => {
  const now = Date.now();
  const at = (ms: number) => new Date(now + ms);
  it('reads revoked, expired, rolling, expiring and active', () => {
    expect(keyStatus({ revokedAt: at(-1), expiresAt: null, graceUntil: null }, now)).toBe('revoked');
    expect(keyStatus({ revokedAt: null, expiresAt: null, graceUntil: at(-1) }, now)).toBe('revoked');
    expect(keyStatus({ revokedAt: null, expiresAt: at(-1), graceUntil: null }, now)).toBe('expired');
    expect(keyStatus({ revokedAt: null, expiresAt: null, graceUntil: at(3600_000) }, now)).toBe('rolling');
    expect(keyStatus({ revokedAt: null, expiresAt: at(86_400_000), graceUntil: null }, now)).toBe('expiring');
    expect(keyStatus({ revokedAt: null, expiresAt: at(30 * 86_400_000), graceUntil: null }, now)).toBe(
      'active',
    );
    expect(keyStatus({ revokedAt: null, expiresAt: null, graceUntil: null }, now)).toBe('active');
  });
});
