import { describe, expect, it } from 'vitest';
import { paramsErrors, parseObject, propHint, propText, simpleProperties, withProp } from './params';

const schema = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', maxLength: 200, description: 'Who to greet' },
    count: { type: 'integer', minimum: 1, maximum: 5 },
    loud: { type: 'boolean' },
    mode: { type: 'string', enum: ['a', 'b'] },
    nested: { type: 'object' },
  },
};
const props = simpleProperties(schema);
const prop = (name: string) => props.find((p) => p.name === name)!;

describe('simpleProperties', () => {
  it('keeps the properties a plain field can edit, with their rules', () => {
    expect(props.map((p) => p.name)).toEqual(['name', 'count', 'loud', 'mode']);
    expect(prop('name')).toMatchObject({ required: true, maxLength: 200 });
    expect(prop('count')).toMatchObject({ required: false, min: 1, max: 5 });
    expect(prop('mode').enum).toEqual(['a', 'b']);
    expect(simpleProperties(null)).toEqual([]);
  });
});

describe('the params text', () => {
  it('parses objects only', () => {
    expect(parseObject('')).toEqual({});
    expect(parseObject('{"a":1}')).toEqual({ a: 1 });
    expect(parseObject('[1]')).toBeNull();
    expect(parseObject('{')).toBeNull();
  });

  it('sets a property typed, and removes it when emptied', () => {
    expect(JSON.parse(withProp({ name: 'Ada' }, prop('count'), '3'))).toEqual({ name: 'Ada', count: 3 });
    expect(JSON.parse(withProp({}, prop('loud'), 'true'))).toEqual({ loud: true });
    expect(JSON.parse(withProp({}, prop('count'), 'x'))).toEqual({ count: 'x' });
    expect(withProp({ name: 'Ada' }, prop('name'), '')).toBe('{}');
    expect(JSON.parse(withProp(null, prop('name'), 'Bo'))).toEqual({ name: 'Bo' });
  });

  it('shows values as text', () => {
    expect(propText(undefined)).toBe('');
    expect(propText(3)).toBe('3');
    expect(propText({ a: 1 })).toBe('{"a":1}');
  });
});

describe('propHint', () => {
  it('says what the field takes', () => {
    expect(propHint(prop('name'))).toBe('Who to greet, Text, up to 200 characters');
    expect(propHint(prop('count'))).toBe('A whole number, at least 1, at most 5');
    expect(propHint(prop('loud'))).toBe('true or false');
    expect(propHint(prop('mode'))).toBe('Text');
  });
});

describe('paramsErrors', () => {
  it('puts property errors beside their fields and all of them on the JSON field', () => {
    const result = paramsErrors(
      [
        { path: 'params.count', message: 'must be <= 5' },
        { path: 'params.other', message: 'not allowed' },
        { path: 'jobid', message: 'too long' },
      ],
      props,
    );
    expect(result).toEqual({
      byProp: { count: 'must be <= 5' },
      message: 'count: must be <= 5; other: not allowed',
    });
  });

  it('is null when no error is about params', () => {
    expect(paramsErrors([{ path: 'job', message: 'busy' }], props)).toBeNull();
  });
});
