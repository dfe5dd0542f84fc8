// Pure helpers of the Run now form: the schema's simple properties, and the params text they edit.

export interface SimpleProp {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean';
  enum?: (string | number)[];
  description?: string;
  required: boolean;
  min?: number;
  max?: number;
  maxLength?: number;
}

/** The params schema's top-level properties that a plain input can edit (text, numbers, true/false, choices). */
export function simpleProperties(schema: unknown): SimpleProp[] {
  if (!schema || typeof schema !== 'object') return [];
  const s = schema as { properties?: Record<string, unknown>; required?: unknown };
  if (!s.properties || typeof s.properties !== 'object') return [];
  const required = Array.isArray(s.required)
    ? s.required.filter((r): r is string => typeof r === 'string')
    : [];
  const props: SimpleProp[] = [];
  for (const [name, raw] of Object.entries(s.properties)) {
    if (!raw || typeof raw !== 'object') continue;
    const p = raw as {
      type?: unknown;
      enum?: unknown;
      description?: unknown;
      minimum?: unknown;
      maximum?: unknown;
      maxLength?: unknown;
    };
    if (p.type !== 'string' && p.type !== 'integer' && p.type !== 'number' && p.type !== 'boolean') continue;
    props.push({
      name,
      type: p.type,
      enum:
        Array.isArray(p.enum) && p.enum.every((e) => typeof e === 'string' || typeof e === 'number')
          ? (p.enum as (string | number)[])
          : undefined,
      description: typeof p.description === 'string' ? p.description : undefined,
      required: required.includes(name),
      min: typeof p.minimum === 'number' ? p.minimum : undefined,
      max: typeof p.maximum === 'number' ? p.maximum : undefined,
      maxLength: typeof p.maxLength === 'number' ? p.maxLength : undefined,
    });
  }
  return props.slice(0, 12);
}

/** The params text as an object; {} when empty; null when it is not a JSON object. */
export function parseObject(text: string): Record<string, unknown> | null {
  if (text.trim() === '') return {};
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** The params text after setting one property from its field (empty removes it; numbers and booleans typed). */
export function withProp(parsed: Record<string, unknown> | null, prop: SimpleProp, raw: string): string {
  const next = { ...(parsed ?? {}) };
  if (raw === '') delete next[prop.name];
  else if (prop.type === 'boolean') next[prop.name] = raw === 'true';
  else if (prop.type === 'integer' || prop.type === 'number')
    next[prop.name] = Number.isFinite(Number(raw)) ? Number(raw) : raw;
  else next[prop.name] = raw;
  return Object.keys(next).length ? JSON.stringify(next, null, 2) : '{}';
}

/** A property's value as its field shows it. */
export function propText(current: unknown): string {
  if (current === undefined || current === null) return '';
  return typeof current === 'object' ? JSON.stringify(current) : String(current);
}

/** The line under a property's field: its description and the rules it must fit. */
export function propHint(prop: SimpleProp): string {
  const kind =
    prop.type === 'integer'
      ? 'A whole number'
      : prop.type === 'number'
        ? 'A number'
        : prop.maxLength !== undefined
          ? `Text, up to ${prop.maxLength} characters`
          : null;
  const hint = [
    prop.description,
    kind,
    prop.min !== undefined ? `at least ${prop.min}` : null,
    prop.max !== undefined ? `at most ${prop.max}` : null,
  ]
    .filter(Boolean)
    .join(', ');
  return hint || (prop.type === 'boolean' ? 'true or false' : 'Text');
}

/**
 * The server's errors about params: by property (for the fields that show one) and as one message for
 * the JSON field. null when none of the errors is about params.
 */
export function paramsErrors(
  errors: { path: string; message: string }[],
  props: SimpleProp[],
): { byProp: Record<string, string>; message: string } | null {
  const about = errors.filter((e) => e.path === 'params' || e.path.startsWith('params.'));
  if (about.length === 0) return null;
  const byProp: Record<string, string> = {};
  for (const e of about) {
    const prop = e.path.split('.')[1];
    if (prop && props.some((p) => p.name === prop)) byProp[prop] = e.message;
  }
  const message = about
    .map((e) => (e.path === 'params' ? e.message : `${e.path.slice(7)}: ${e.message}`))
    .join('; ');
  return { byProp, message };
}
