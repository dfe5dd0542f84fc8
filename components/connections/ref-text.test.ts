import { describe, expect, it } from 'vitest';
import { refsToText, textToRefs } from './ref-text';

describe('connection references in the job form', () => {
  it('shows a reference as its JSON and saves that text back as the reference', () => {
    const ref = { connection: 'warehouse', field: 'password' };
    const text = refsToText({ PW: ref, STAGE: 'prod' });
    expect(text).toEqual({ PW: '{"connection":"warehouse","field":"password"}', STAGE: 'prod' });
    expect(textToRefs(text)).toEqual({ PW: ref, STAGE: 'prod' });
  });

  it('keeps text that only looks like one as text', () => {
    const values = { A: '{"connection":"warehouse"}', B: '{"connection": broken', C: '{"other":1}' };
    expect(textToRefs(values)).toEqual(values);
  });
});
