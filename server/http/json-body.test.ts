import { describe, expect, test } from 'vitest';
import { AppError } from '../errors';
import { MAX_JSON_DEPTH, MAX_JSON_STRING, parseJsonBody } from './json-body';

function refusal(text: string): AppError {
  try {
    parseJsonBody(text);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error(`accepted: ${text.slice(0, 80)}`);
}

const nested = (depth: number) => `{"id":"x","params":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;

describe('parseJsonBody', () => {
  test('ordinary bodies parse as JSON.parse would, escapes and pairs included', () => {
    const text =
      '{"id":"hello","params":{"list":[1,"two",{"three":null}],"emoji":"\\ud83d\\ude00 😀","esc\\"aped":"a,b{c}[d]"}}';
    expect(parseJsonBody(text)).toEqual(JSON.parse(text));
  });

  test('broken JSON is invalid_json', () => {
    expect(refusal('{"id":').code).toBe('invalid_json');
  });

  test('a duplicate name is invalid_json, at the top and deeper, also when spelled with escapes', () => {
    expect(refusal('{"dryRun":true,"id":"x","dryRun":false}')).toMatchObject({
      code: 'invalid_json',
      message: expect.stringContaining('"dryRun"'),
    });
    expect(refusal('{"id":"x","params":{"a":1,"\\u0061":2}}')).toMatchObject({
      code: 'invalid_json',
      message: expect.stringContaining('params'),
    });
    expect(refusal('{"id":"x","params":{"l":[{"a":1},{"b":1,"b":2}]}}').message).toContain('params.l.1');
    // The same name in sibling objects is fine.
    expect(parseJsonBody('{"params":{"a":{"x":1},"b":{"x":2}},"id":"x"}')).toBeTruthy();
  });

  test(`nesting past ${MAX_JSON_DEPTH} levels is validation_failed with the path, at 5,000 and 20,000 levels too`, () => {
    expect(parseJsonBody(nested(MAX_JSON_DEPTH - 1))).toBeTruthy();
    for (const depth of [MAX_JSON_DEPTH, 5_000, 20_000]) {
      const error = refusal(nested(depth));
      expect(error.code).toBe('validation_failed');
      expect(error.errors?.[0].path).toMatch(/^params\.a\.a/);
    }
    expect(refusal('['.repeat(100_000) + ']'.repeat(100_000)).code).toBe('validation_failed');
  });

  test('NUL and unpaired surrogates anywhere are validation_failed with their paths', () => {
    const error = refusal(
      '{"id":"a\\u0000b","jobid":"\\ud800","params":{"x":["ok","\\udc00z"],"n\\u0000":1}}',
    );
    expect(error.code).toBe('validation_failed');
    expect(error.errors?.map((e) => e.path).sort()).toEqual(['id', 'jobid', 'params.n\\u0000', 'params.x.1']);
  });

  test('over-long strings are validation_failed', () => {
    const error = refusal(JSON.stringify({ id: 'x', params: { s: 'y'.repeat(MAX_JSON_STRING + 1) } }));
    expect(error.errors).toEqual([{ path: 'params.s', message: `At most ${MAX_JSON_STRING} characters` }]);
  });
});
