// The validation budget of a params schema: what a schema may ask of the validator, so that checking a
// request's params (at most 64 KiB, 32 levels: server/http/json-body.ts) has a bound the web process can
// afford. Refused at save (assertParamsSchema) and again before validating (a job saved earlier).
//
// The bound: Ajv's compiled code visits each data node once for each schema node that applies to it,
// so the work is at most (data nodes) x (schema nodes with every $ref inlined), plus uniqueItems,
// which compares items pairwise unless they are scalars (then a hash): hence scalars and maxItems only.

export const SCHEMA_BUDGET = {
  /** Schema nodes once every $ref is inlined (recursion is refused). */
  expandedNodes: 300,
  /** Levels of subschemas. */
  depth: 16,
  maxItems: 10_000,
  maxProperties: 1_000,
  /** uniqueItems needs scalar items and maxItems at most this. */
  uniqueItems: 1_000,
  /** Characters of a pattern or a patternProperties name. */
  pattern: 512,
} as const;

const SCALARS = new Set(['string', 'number', 'integer', 'boolean', 'null']);
/** Keywords whose value is a map of names to schemas. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
/** Keywords whose value is a schema or a list of schemas. */
const SCHEMA_VALUES = new Set([
  'items',
  'additionalItems',
  'prefixItems',
  'additionalProperties',
  'contains',
  'not',
  'if',
  'then',
  'else',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
  'allOf',
  'anyOf',
  'oneOf',
  'dependencies',
]);

type Schema = Record<string, unknown>;
const isSchema = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The first way the schema exceeds the budget, as a message for the person saving it; null when within. */
export function schemaBudgetProblem(root: unknown): string | null {
  if (!isSchema(root)) return null;
  const sizes = new Map<string, number>();
  const resolving = new Set<string>();

  const resolve = (ref: string): unknown => {
    let node: unknown = root;
    for (const part of ref.slice(1).split('/').filter(Boolean)) {
      const name = decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~');
      node = isSchema(node) ? node[name] : Array.isArray(node) ? node[Number(name)] : undefined;
    }
    return node;
  };

  /** The node's size with references inlined; throws a message when over the budget. */
  const size = (node: unknown, depth: number): number => {
    if (Array.isArray(node)) return node.reduce<number>((n, item) => n + size(item, depth), 0);
    if (!isSchema(node)) return 1;
    if (depth > SCHEMA_BUDGET.depth)
      throw `The schema is nested more than ${SCHEMA_BUDGET.depth} levels deep`;
    checkKeywords(node);
    let total = 1;
    if (typeof node.$ref === 'string' && node.$ref.startsWith('#')) total += sizeOfRef(node.$ref);
    for (const [key, value] of Object.entries(node)) {
      if (SCHEMA_MAPS.has(key) && isSchema(value)) {
        if (key === '$defs' || key === 'definitions') continue; // counted where they are used
        for (const [name, sub] of Object.entries(value)) {
          if (key === 'patternProperties' && name.length > SCHEMA_BUDGET.pattern)
            throw `A patternProperties pattern is longer than ${SCHEMA_BUDGET.pattern} characters`;
          total += size(sub, depth + 1);
        }
      } else if (SCHEMA_VALUES.has(key)) {
        total += isSchema(value) ? size(value, depth + 1) : Array.isArray(value) ? size(value, depth + 1) : 0;
      }
      if (total > SCHEMA_BUDGET.expandedNodes) throw tooLarge();
    }
    return total;
  };

  const sizeOfRef = (ref: string): number => {
    const known = sizes.get(ref);
    if (known !== undefined) return known;
    if (resolving.has(ref))
      throw `$ref "${ref.slice(0, 100)}" refers to itself: recursive schemas are not allowed`;
    resolving.add(ref);
    const n = size(resolve(ref), 0);
    resolving.delete(ref);
    sizes.set(ref, n);
    return n;
  };

  try {
    size(root, 0);
    // Definitions nobody uses are checked too (they still compile).
    for (const key of ['$defs', 'definitions'])
      if (isSchema(root[key])) for (const name of Object.keys(root[key])) sizeOfRef(`#/${key}/${name}`);
    return null;
  } catch (problem) {
    if (typeof problem === 'string') return problem;
    throw problem;
  }
}

function tooLarge() {
  return `The schema is too large to check quickly: at most ${SCHEMA_BUDGET.expandedNodes} subschemas, counting each $ref where it is used`;
}

function checkKeywords(node: Schema) {
  if (typeof node.maxItems === 'number' && node.maxItems > SCHEMA_BUDGET.maxItems)
    throw `maxItems may be at most ${SCHEMA_BUDGET.maxItems}`;
  if (typeof node.maxProperties === 'number' && node.maxProperties > SCHEMA_BUDGET.maxProperties)
    throw `maxProperties may be at most ${SCHEMA_BUDGET.maxProperties}`;
  if (typeof node.pattern === 'string' && node.pattern.length > SCHEMA_BUDGET.pattern)
    throw `A pattern is longer than ${SCHEMA_BUDGET.pattern} characters`;
  if (node.uniqueItems === true) {
    const items = node.items;
    const types = isSchema(items) ? items.type : undefined;
    const scalar =
      (typeof types === 'string' && SCALARS.has(types)) ||
      (Array.isArray(types) && types.length > 0 && types.every((t) => SCALARS.has(t)));
    if (!scalar || typeof node.maxItems !== 'number' || node.maxItems > SCHEMA_BUDGET.uniqueItems)
      throw `uniqueItems needs items of a scalar type ("items": {"type": "string"}, say) and maxItems of at most ${SCHEMA_BUDGET.uniqueItems}`;
  }
}
