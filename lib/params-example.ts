// Params that a job's params schema accepts, for the snippets and the API box: each required property
// (and each optional one with a default or an example) gets its default, its first example, its first
// enum value, or a placeholder of its type within its bounds. A schema this cannot satisfy (a pattern, say)
// still gets the right shape; the params editor above the snippets lets the person fix the value.

type Schema = {
  type?: unknown;
  properties?: Record<string, unknown>;
  required?: unknown;
  default?: unknown;
  examples?: unknown;
  example?: unknown;
  enum?: unknown;
  const?: unknown;
  format?: unknown;
  minimum?: unknown;
  maximum?: unknown;
  exclusiveMinimum?: unknown;
  minLength?: unknown;
  maxLength?: unknown;
  minItems?: unknown;
  items?: unknown;
  anyOf?: unknown;
  oneOf?: unknown;
};

const MAX_DEPTH = 4;

function asSchema(value: unknown): Schema | null {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Schema) : null;
}

function firstType(schema: Schema): string | undefined {
  if (typeof schema.type === 'string') return schema.type;
  if (Array.isArray(schema.type)) return schema.type.find((t) => t !== 'null') as string | undefined;
  if (schema.properties) return 'object';
  return undefined;
}

function stringFor(name: string, schema: Schema): string {
  switch (schema.format) {
    case 'date':
      return '2026-01-31';
    case 'date-time':
      return '2026-01-31T12:00:00Z';
    case 'time':
      return '12:00:00Z';
    case 'email':
      return 'someone@example.com';
    case 'uri':
    case 'url':
      return 'https://example.com/';
    case 'uuid':
      return '00000000-0000-4000-8000-000000000000';
  }
  let text = name || 'value';
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  while (text.length < min) text += 'x';
  return text.slice(0, Math.max(min, Math.min(max, text.length)));
}

function numberFor(schema: Schema, integer: boolean): number {
  let value =
    typeof schema.minimum === 'number'
      ? schema.minimum
      : typeof schema.exclusiveMinimum === 'number'
        ? schema.exclusiveMinimum + 1
        : 1;
  if (typeof schema.maximum === 'number' && value > schema.maximum) value = schema.maximum;
  return integer ? Math.ceil(value) : value;
}

/** One value the schema accepts, as far as can be told without a validator. */
export function exampleValue(schema: unknown, name = '', depth = 0): unknown {
  const s = asSchema(schema);
  if (!s) return name || 'value';
  if (s.default !== undefined) return s.default;
  if (Array.isArray(s.examples) && s.examples.length > 0) return s.examples[0];
  if (s.example !== undefined) return s.example;
  if (s.const !== undefined) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  const alternatives = Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : null;
  if (alternatives?.length) return exampleValue(alternatives[0], name, depth + 1);
  switch (firstType(s)) {
    case 'string':
      return stringFor(name, s);
    case 'integer':
      return numberFor(s, true);
    case 'number':
      return numberFor(s, false);
    case 'boolean':
      return false;
    case 'null':
      return null;
    case 'array': {
      const count = typeof s.minItems === 'number' ? Math.min(s.minItems, 5) : 0;
      return Array.from({ length: count }, () => exampleValue(s.items, name, depth + 1));
    }
    case 'object':
      return depth >= MAX_DEPTH ? {} : exampleParams(s, depth + 1);
    default:
      return name || 'value';
  }
}

/** The params object for a job's schema, properties in the schema's order; `{}` without a schema. */
export function exampleParams(schema: unknown, depth = 0): Record<string, unknown> {
  const s = asSchema(schema);
  const properties = asSchema(s?.properties);
  if (!s || !properties) return {};
  const required = new Set(Array.isArray(s.required) ? s.required.filter((r) => typeof r === 'string') : []);
  const params: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(properties)) {
    const p = asSchema(property);
    const hinted = p && (p.default !== undefined || p.examples !== undefined || p.example !== undefined);
    if (required.has(name) || hinted) params[name] = exampleValue(property, name, depth);
  }
  // Required names the properties do not describe still need a value.
  for (const name of required) if (!(name in params)) params[name] = name;
  return params;
}
