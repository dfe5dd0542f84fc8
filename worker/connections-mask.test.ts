import { describe, expect, it } from 'vitest';
import { SecretMasker } from './connections-mask';
import { LineSplitter } from './line-splitter';

const secret = 'S3cr3t+/value=&x';

describe('SecretMasker', () => {
  const masker = new SecretMasker([secret]);

  it('masks the value, its URL encodings and its base64 at any offset in a longer text', () => {
    expect(masker.mask(`pw=${secret} done`)).toBe('pw=*** done');
    expect(masker.mask(`?p=${encodeURIComponent(secret)}&q=1`)).toBe('?p=***&q=1');
    for (const prefix of ['', 'u', 'us', 'user:']) {
      const b64 = Buffer.from(`${prefix}${secret}`).toString('base64');
      const masked = masker.mask(`Authorization: Basic ${b64}`);
      expect(masked).toContain('***');
      // What is left of the encoding cannot give the value back.
      const left = masked.replace('Authorization: Basic ', '').split('***');
      const decoded = left.map((part) => Buffer.from(part, 'base64').toString('latin1')).join('');
      expect(decoded).not.toContain(secret.slice(0, 6));
    }
    expect(masker.mask(Buffer.from(secret).toString('base64url'))).not.toContain('S3cr3t');
  });

  it('masks a value cut across pieces of an over-long line', () => {
    const emitted: string[] = [];
    const lines = new LineSplitter((line) => emitted.push(masker.mask(line)));
    const filler = 'x'.repeat(64 * 1024 - 5);
    lines.push(filler + secret.slice(0, 9)); // the splitter hands over 64 KiB without a newline
    lines.push(secret.slice(9) + ' tail\n');
    lines.end();
    expect(emitted.join('')).not.toContain(secret.slice(0, 7));
    expect(emitted.join('')).not.toMatch(/value=&x/);
    expect(emitted.at(-1)).toBe('*** tail');
  });

  it('masks each line of a value that spans lines (a PEM key)', () => {
    const pem = `-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF\n-----END PRIVATE KEY-----`;
    const pemMasker = new SecretMasker([pem]);
    expect(pemMasker.mask('MC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF')).toBe('***');
  });

  it('leaves short values alone and lines without a secret as they are', () => {
    expect(new SecretMasker(['ab']).empty).toBe(true);
    expect(masker.mask('nothing to see here')).toBe('nothing to see here');
  });
});
