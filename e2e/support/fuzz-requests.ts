import fc from 'fast-check';

// Requests generated from the API's own OpenAPI document: its paths, methods, parameters and request
// body schemas drive the generators; the domain hints (job names, run ids, keys) make the generated
// requests reach past "not found" often enough to matter.

export type Doc = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
};
export interface Schema {
  $ref?: string;
  const?: unknown;
  enum?: unknown[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  type?: string | string[];
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  [keyword: string]: unknown;
}
export interface Operation {
  operationId: string;
  parameters?: { name: string; in: string; required?: boolean; schema: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<
    string,
    {
      description: string;
      headers?: Record<string, { required?: boolean }>;
      content?: Record<string, { schema: Schema }>;
      links?: Record<string, { operationId: string; parameters: Record<string, string> }>;
    }
  >;
}

export interface Hints {
  /** Named keys; a name given more often is picked more often. */
  keys: [string, string][];
  /** Job ids or names of ours a body's `id` takes most of the time. */
  jobRefs: string[];
  /** The rest of the time: another organisation's, none at all, strings the API refuses. */
  badJobRefs: string[];
  /** Run ids seen in 202s so far (grows during the run). */
  runIds: string[];
}

export interface FuzzRequest {
  /** The operation it was generated from, or null for a method or path the spec does not have. */
  operation: { path: string; method: string } | null;
  method: string;
  path: string;
  headers: Record<string, string | string[]>;
  body?: Buffer;
  /** How it was made, for the report of a failure. */
  notes: string[];
}

const EXTRA_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'PROPFIND'];
const UNKNOWN_PATHS = [
  '/etl-mgr/api',
  '/etl-mgr/api/',
  '/etl-mgr/api/jobs',
  '/etl-mgr/api/apijob/extra',
  '/etl-mgr/api/runs',
  '/etl-mgr/api/runs/x/y/z',
];
const NASTY = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udc00x',
  '😀',
  '../../etc/passwd',
  "' or 1=1 --",
  '%00',
  'x'.repeat(300),
  '\u202e',
  'null',
];

/** A value for a JSON Schema: valid most of the time, the rest odd but still JSON. */
export function valueFor(schema: Schema, doc: Doc, depth = 0): fc.Arbitrary<unknown> {
  if (schema.$ref) return valueFor(doc.components.schemas[schema.$ref.split('/').pop()!], doc, depth);
  if ('const' in schema) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const choices = schema.oneOf ?? schema.anyOf;
  if (choices) return fc.oneof(...choices.map((s: Schema) => valueFor(s, doc, depth)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      if (schema.format === 'uuid') return fc.uuid();
      return fc.string({
        minLength: schema.minLength ?? 0,
        maxLength: Math.min(schema.maxLength ?? 30, 30),
        unit: 'grapheme',
      });
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1_000, max: schema.maximum ?? 1_000_000 });
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'object': {
      if (!schema.properties)
        return depth > 2
          ? fc.constant({})
          : fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 });
      const props = Object.fromEntries(
        Object.entries(schema.properties).map(([k, s]) => [k, valueFor(s, doc, depth + 1)]),
      );
      return fc.record(props, { requiredKeys: schema.required ?? [] });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** A body for the operation's schema, then sometimes broken in one of the ways clients break them. */
function bodyFor(schema: Schema, doc: Doc, hints: Hints) {
  const valid = valueFor(schema, doc).map((v) => v as Record<string, unknown>);
  const ref = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...hints.jobRefs) },
    { weight: 1, arbitrary: fc.constantFrom(...hints.badJobRefs) },
  );
  const shaped = fc.tuple(valid, ref, fc.double({ min: 0, max: 1, noNaN: true })).map(([v, id, r]) => {
    const body: Record<string, unknown> = { ...v, id };
    // Real starts are the rarer case: most bodies are dry runs, so a long run does not flood the workers.
    if (!('action' in body) || body.action === 'start') body.dryRun = r < 0.35 ? true : body.dryRun;
    return body as Record<string, unknown>;
  });
  const mutated = fc
    .tuple(
      shaped,
      fc.constantFrom(...Object.keys(schema.properties ?? { id: 1 })),
      fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(...NASTY)),
    )
    .map(([b, k, v]) => ({ ...b, [k]: v }));
  const extra = shaped.map((b) => ({ ...b, unexpected: true }));
  const deep = fc
    .tuple(shaped, fc.integer({ min: 20, max: 20_000 }))
    .map(
      ([b, n]) =>
        `{"id":${JSON.stringify(b.id)},"dryRun":true,"params":{"a":${'['.repeat(n)}${']'.repeat(n)}}}`,
    );
  const duplicate = shaped.map((b) => JSON.stringify(b).replace('{', '{"dryRun":false,'));
  // A start that should be accepted, so 202s (and their links) are common enough to check.
  const start = fc
    .tuple(valid, fc.constantFrom(...hints.jobRefs.slice(0, 2)))
    .map(([v, id]) => ({ id, jobid: v.jobid }));
  return fc.oneof(
    {
      weight: 4,
      arbitrary: start.map((b) => ({
        text: JSON.stringify(b),
        type: 'application/json',
        note: 'a start',
        start: true,
      })),
    },
    {
      weight: 16,
      arbitrary: shaped.map((b) => ({
        text: JSON.stringify(b),
        type: 'application/json',
        note: 'valid shape',
      })),
    },
    {
      weight: 3,
      arbitrary: mutated.map((b) => ({
        text: JSON.stringify(b),
        type: 'application/json',
        note: 'a member replaced',
      })),
    },
    {
      weight: 1,
      arbitrary: extra.map((b) => ({
        text: JSON.stringify(b),
        type: 'application/json; charset=utf-8',
        note: 'unknown member',
      })),
    },
    { weight: 1, arbitrary: deep.map((text) => ({ text, type: 'application/json', note: 'deep nesting' })) },
    {
      weight: 1,
      arbitrary: duplicate.map((text) => ({ text, type: 'application/json', note: 'duplicate name' })),
    },
    {
      weight: 1,
      arbitrary: shaped.map((b) => ({
        text: JSON.stringify(b).slice(0, -1),
        type: 'application/json',
        note: 'truncated JSON',
      })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          'text/plain',
          'application/merge-patch+json',
          'application/x-www-form-urlencoded',
          'application/json; charset=latin1',
          '',
        )
        .chain((type) =>
          shaped.map((b) => ({ text: JSON.stringify(b), type, note: `content type ${type}` })),
        ),
    },
    {
      weight: 1,
      arbitrary: shaped.map((b) => ({
        text: JSON.stringify(b),
        type: 'application/json',
        encoding: 'gzip',
        note: 'Content-Encoding gzip',
      })),
    },
    {
      weight: 1,
      arbitrary: fc.constant({
        text: JSON.stringify({ id: 'x', params: { s: 'y'.repeat(70 * 1024) } }),
        type: 'application/json',
        note: '70 KiB',
      }),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('', 'null', '[]', '"x"', '{}', '\ufeff{"id":"x"}')
        .map((text) => ({ text, type: 'application/json', note: `body ${JSON.stringify(text)}` })),
    },
    {
      weight: 1,
      arbitrary: fc.constant({
        text: '',
        bytes: [0x7b, 0x22, 0x69, 0x64, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d],
        type: 'application/json',
        note: 'not UTF-8',
      }),
    },
  );
}

const asciiText = (max: number) =>
  fc.string({
    maxLength: max,
    unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
  });

function authFor(hints: Hints) {
  const named = hints.keys;
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc.constantFrom(...named).map(([n, k]) => ({
        headers: { 'x-api-key': k } as Record<string, string | string[]>,
        note: `x-api-key ${n}`,
      })),
    },
    {
      weight: 3,
      arbitrary: fc
        .constantFrom(...named)
        .map(([n, k]) => ({ headers: { authorization: `Bearer ${k}` }, note: `Bearer ${n}` })),
    },
    { weight: 1, arbitrary: fc.constant({ headers: {}, note: 'no key' }) },
    {
      weight: 1,
      arbitrary: asciiText(60).map((g) => ({ headers: { 'x-api-key': g || 'x' }, note: 'garbage key' })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(...named).chain(([n, k]) =>
        fc.constantFrom(...named).map(([m, l]) => ({
          headers: { 'x-api-key': k, authorization: `Bearer ${l}` },
          note: `x-api-key ${n} and Bearer ${m}`,
        })),
      ),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(...named)
        .map(([n, k]) => ({ headers: { 'x-api-key': [k, k] }, note: `x-api-key ${n} twice` })),
    },
  );
}

function pathParam(hints: Hints) {
  return fc
    .oneof(
      { weight: 4, arbitrary: fc.nat(4) }, // one of the last runs seen so far
      { weight: 2, arbitrary: fc.uuid() },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          'not-a-uuid',
          '%00',
          '%ED%A0%80',
          '%E0%A4%A',
          '..',
          '%2e%2e',
          "1'%20or%20'1'='1",
          'x'.repeat(300),
        ),
      },
      {
        weight: 1,
        arbitrary: asciiText(40)
          .filter((s) => !/[/?#%]/.test(s))
          .map((s) => encodeURIComponent(s) || 'x'),
      },
    )
    .map((v) => (typeof v === 'number' ? hints.runIds[Math.max(0, hints.runIds.length - 1 - v)] : v));
}

function queryFor(op: Operation, doc: Doc) {
  const params = (op.parameters ?? []).filter((p) => p.in === 'query');
  if (!params.length) return fc.constant('');
  const one = (p: (typeof params)[number]) =>
    fc.oneof(
      {
        weight: 3,
        arbitrary: valueFor(p.schema, doc).map((v) => [`${p.name}=${encodeURIComponent(String(v))}`]),
      },
      { weight: 4, arbitrary: fc.constant([] as string[]) },
      {
        weight: 1,
        arbitrary: fc
          .constantFrom('0x10', '1e3', '-1', '', '2147483648', '99999999999999999999', 'abc', '1.5', ' 1')
          .map((v) => [`${p.name}=${encodeURIComponent(v)}`]),
      },
      {
        weight: 1,
        arbitrary: fc.tuple(fc.nat(600), fc.nat(600)).map(([a, b]) => [`${p.name}=${a}`, `${p.name}=${b}`]),
      },
    );
  return fc.tuple(...params.map(one)).map((parts) => {
    const q = parts.flat();
    return q.length ? `?${q.join('&')}` : '';
  });
}

function idempotencyKey() {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: fc.constantFrom('fuzz-a', 'fuzz-b', 'fuzz-c') },
    { weight: 1, arbitrary: asciiText(40).map((s) => s || undefined) },
    { weight: 1, arbitrary: fc.constant('k'.repeat(300)) },
  );
}

/** Requests for the spec's operations, and for the methods and paths it does not have. */
export function requestArbitrary(doc: Doc, hints: Hints): fc.Arbitrary<FuzzRequest> {
  const declared = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
  );
  // The job endpoint is the one with a body and the most answers: it gets half the requests.
  const weighted: typeof declared = declared.flatMap((d) =>
    d.op.requestBody ? Array<(typeof declared)[number]>(declared.length - 1).fill(d) : [d],
  );
  const forOperation = fc.constantFrom(...weighted).chain(({ path, method, op }) => {
    const schema = op.requestBody?.content['application/json']?.schema;
    return fc
      .record({
        auth: authFor(hints),
        runId: pathParam(hints),
        query: queryFor(op, doc),
        idem: idempotencyKey(),
        body: schema
          ? bodyFor(schema, doc, hints).map(
              (b) =>
                b as {
                  text: string;
                  type: string;
                  note: string;
                  encoding?: string;
                  bytes?: number[];
                  start?: boolean;
                },
            )
          : fc.constant(undefined),
      })
      .map(({ auth, runId, query, idem, body }): FuzzRequest => {
        const headers: Record<string, string | string[]> = { ...auth.headers };
        if (body?.type) headers['content-type'] = body.type;
        if (body?.encoding) headers['content-encoding'] = body.encoding;
        const idemParam = op.parameters?.some((p) => p.in === 'header' && p.name === 'Idempotency-Key');
        if (idemParam && idem) headers['idempotency-key'] = idem;
        return {
          operation: { path, method },
          method,
          path: path.replace('{runId}', runId) + (body?.start ? '' : query),
          headers,
          body: body ? (body.bytes ? Buffer.from(body.bytes) : Buffer.from(body.text, 'utf8')) : undefined,
          notes: [
            auth.note,
            body?.note ?? 'no body',
            idem ? `Idempotency-Key ${idem.slice(0, 20)}` : '',
          ].filter(Boolean),
        };
      });
  });
  const offSpec = fc
    .tuple(
      fc.constantFrom(...EXTRA_METHODS),
      fc.constantFrom(...declared.map((d) => d.path), ...UNKNOWN_PATHS),
      fc.uuid(),
      authFor(hints),
    )
    .filter(([method, path]) => !declared.some((d) => d.path === path && d.method === method))
    .map(([method, path, id, auth]): FuzzRequest => ({
      operation: null,
      method,
      path: path.replace('{runId}', id),
      headers: auth.headers,
      notes: ['off the spec', auth.note],
    }));
  // Without fast-check's bias towards small values: breadth matters here, not the edges of each number.
  return fc.noBias(fc.oneof({ weight: 9, arbitrary: forOperation }, { weight: 1, arbitrary: offSpec }));
}
