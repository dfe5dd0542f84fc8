import { describe, expect, it } from 'vitest';
import { MAX_TOKEN_BYTES } from '@/lib/validations/api-key';
import { payloadPreview, shownPath, tokenBytes } from './preview';

const now = Date.UTC(2026, 0, 1);
const ctx = { orgSlug: 'demo', kid: 'k1', now };

describe('payloadPreview', () => {
  it('shows the claims the key will carry, with a placeholder id', () => {
    const { json } = payloadPreview({ name: ' etl ', selector: 'ci', expires: 'never' }, ctx);
    expect(JSON.parse(json)).toEqual({
      app: 'etl',
      uid: 'ci',
      org: 'demo',
      id: '(assigned when created)',
      iat: now / 1000,
    });
  });

  it('adds exp for a chosen expiry and none while the date is empty', () => {
    expect(JSON.parse(payloadPreview({ expires: '30d' }, ctx).json).exp).toBe(now / 1000 + 30 * 86_400);
    expect(JSON.parse(payloadPreview({ expires: 'date', expiresAt: '' }, ctx).json).exp).toBeUndefined();
    expect(JSON.parse(payloadPreview({ expires: 'date', expiresAt: 'soon' }, ctx).json).exp).toBeUndefined();
  });

  it('leaves out reserved, invalid and repeated field names; keeps JSON values typed', () => {
    const fields = [
      { name: 'team', value: 'data' },
      { name: 'iat', value: '1' },
      { name: '9bad', value: 'x' },
      { name: 'team', value: 'again' },
      { name: 'n', value: '3' },
    ];
    const payload = JSON.parse(payloadPreview({ expires: 'never', fields }, ctx).json);
    expect(payload.team).toBe('data');
    expect(payload.n).toBe(3);
    expect(payload.iat).toBe(now / 1000);
    expect(payload).not.toHaveProperty('9bad');
  });

  it('measures the token as signed: it grows with the fields and passes the limit with enough of them', () => {
    const small = payloadPreview({ expires: 'never' }, ctx).bytes;
    const fields = Array.from({ length: 20 }, (_, i) => ({ name: `f${i}`, value: 'x'.repeat(200) }));
    const big = payloadPreview({ expires: 'never', fields }, ctx).bytes;
    expect(small).toBeGreaterThan(100);
    expect(small).toBeLessThan(400);
    expect(big).toBeGreaterThan(MAX_TOKEN_BYTES);
  });
});

describe('tokenBytes', () => {
  it('counts base64url of UTF-8 bytes, two dots and a 43-character signature', () => {
    expect(tokenBytes('abc', 'abc')).toBe(4 + 1 + 4 + 1 + 43);
    expect(tokenBytes('é', '')).toBe(3 + 1 + 0 + 1 + 43);
  });
});

describe('shownPath', () => {
  it('knows the form’s fields and the rows of additional fields', () => {
    for (const path of [
      'name',
      'selector',
      'description',
      'type',
      'expires',
      'expiresAt',
      'jobScope',
      'jobIds',
    ])
      expect(shownPath(path), path).toBe(true);
    expect(shownPath('fields')).toBe(true);
    expect(shownPath('fields.3.name')).toBe(true);
    expect(shownPath('fields.3.value')).toBe(true);
  });

  it('leaves the rest to the message on top', () => {
    for (const path of ['rateLimit', 'fields.3', 'fields.3.other', 'owner', ''])
      expect(shownPath(path), path).toBe(false);
  });
});
