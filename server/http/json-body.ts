import { AppError, type FieldError } from '../errors';

// Limits on any JSON body, checked before a handler sees it: Postgres refuses U+0000 and unpaired
// surrogates in text and jsonb, deep nesting makes every later walk costly, and duplicate names
// would let `"dryRun":true,"dryRun":false` mean something other than what a reader sees.

/** Levels of objects and arrays, the body itself being the first. */
export const MAX_JSON_DEPTH = 32;
/** UTF-16 code units of any string value. */
export const MAX_JSON_STRING = 32_768;
/** UTF-16 code units of any property name. */
export const MAX_JSON_NAME = 256;
const MAX_ERRORS = 20;

/** JSON.parse, refusing duplicate names (400), deep nesting and bad strings (422 with paths). */
export function parseJsonBody(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    if (error instanceof SyntaxError) throw new AppError('invalid_json', 'The body is not valid JSON');
    throw tooDeep('(body)'); // a RangeError: nesting beyond what the parser can hold
  }
  if (typeof value === 'object' && value !== null) scanStructure(text);
  const errors: FieldError[] = [];
  checkStrings(value, [], errors);
  if (errors.length)
    throw new AppError('validation_failed', 'The body holds strings the API does not accept', { errors });
  return value;
}

interface Frame {
  object: boolean;
  names: Set<string>;
  /** The current member's name (objects) or index (arrays). */
  at: string | number;
  expectName: boolean;
}

/**
 * One pass over text JSON.parse already accepted: the nesting depth and duplicate names, which the
 * parsed value can no longer show. Strings are skipped; a name is decoded only when it has escapes.
 */
function scanStructure(text: string): void {
  const stack: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const start = i;
      let escaped = false;
      for (i++; text.charCodeAt(i) !== 0x22; i++) {
        if (text.charCodeAt(i) === 0x5c /* \ */) {
          escaped = true;
          i++;
        }
      }
      const top = stack[stack.length - 1];
      if (top?.object && top.expectName) {
        const name = escaped ? (JSON.parse(text.slice(start, i + 1)) as string) : text.slice(start + 1, i);
        if (top.names.has(name)) {
          throw new AppError(
            'invalid_json',
            `The name "${printable(name)}" appears twice in ${pathOf(stack, false)}; send each member once`,
          );
        }
        top.names.add(name);
        top.at = name;
        top.expectName = false;
      }
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      stack.push({ object: c === 0x7b, names: new Set(), at: 0, expectName: c === 0x7b });
      if (stack.length > MAX_JSON_DEPTH) throw tooDeep(pathOf(stack, false));
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top.object) top.expectName = true;
      else top.at = (top.at as number) + 1;
    }
  }
}

function pathOf(stack: Frame[], withLast: boolean): string {
  const parts = stack.slice(0, withLast ? stack.length : stack.length - 1).map((f) => String(f.at));
  return parts.length ? parts.slice(0, MAX_JSON_DEPTH).join('.') : '(body)';
}

function tooDeep(path: string): AppError {
  return new AppError('validation_failed', `The body is nested more than ${MAX_JSON_DEPTH} levels deep`, {
    errors: [{ path, message: `At most ${MAX_JSON_DEPTH} levels of objects and arrays` }],
  });
}

function checkStrings(value: unknown, path: string[], errors: FieldError[]): void {
  if (errors.length >= MAX_ERRORS) return;
  if (typeof value === 'string') {
    const problem = stringProblem(value, MAX_JSON_STRING);
    if (problem) errors.push({ path: path.join('.') || '(body)', message: problem });
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => checkStrings(item, [...path, String(index)], errors));
  } else if (typeof value === 'object' && value !== null) {
    for (const [name, item] of Object.entries(value)) {
      const problem = stringProblem(name, MAX_JSON_NAME);
      if (problem)
        errors.push({
          path: [...path, printable(name.slice(0, 64))].join('.'),
          message: `Property name: ${problem}`,
        });
      else checkStrings(item, [...path, name], errors);
    }
  }
}

// U+0000, or a surrogate without its pair (in `u` mode a pair is one code point, never \p{Cs}).
const FORBIDDEN = /\u0000|\p{Cs}/u;

function stringProblem(s: string, max: number): string | null {
  if (s.length > max) return `At most ${max} characters`;
  const found = FORBIDDEN.exec(s);
  if (!found) return null;
  return found[0] === '\u0000'
    ? 'Must not contain the NUL character (\\u0000)'
    : 'Must not contain an unpaired surrogate (\\ud800-\\udfff alone)';
}

/** A name fit for a message: the characters the API refuses shown as escapes. */
function printable(s: string): string {
  return s.replace(
    /[\u0000-\u001f]|\p{Cs}/gu,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
