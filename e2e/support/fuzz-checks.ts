import type { IncomingHttpHeaders } from 'node:http';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { Doc, FuzzRequest, Operation, Schema } from './fuzz-requests';
import { UUID_PATTERN } from '../../lib/validations/ids';

// Each answer held to the OpenAPI document it was generated from: the status is one the operation
// declares (or 404/405/204 for paths and methods the document does not have), the content type and
// the required headers are there, and the body validates (Ajv) against the declared schema.

export const CHECKS = [
  'no 5xx',
  'status declared',
  'content type',
  'required headers',
  'body schema',
  'problem code',
  '202 link to the run',
] as const;
export type Check = (typeof CHECKS)[number];

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export interface Failure {
  check: Check;
  message: string;
}

export class SpecChecker {
  private ajv = new Ajv2020({ strict: false, validateSchema: false, allErrors: true });
  private compiled = new Map<Schema, ValidateFunction>();
  private problem: Schema;

  constructor(private doc: Doc) {
    this.ajv.addFormat('uuid', UUID_PATTERN);
    this.ajv.addFormat(
      'date-time',
      (s: string) =>
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(s) && !Number.isNaN(Date.parse(s)),
    );
    this.ajv.addFormat('uri', (s: string) => URL.canParse(s));
    this.ajv.addFormat('uri-reference', (s: string) => URL.canParse(s, 'http://x/'));
    this.ajv.addFormat('int32', {
      type: 'number',
      validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31,
    });
    this.problem = { $ref: '#/components/schemas/Problem' };
  }

  operation(req: FuzzRequest): Operation | null {
    return req.operation ? this.doc.paths[req.operation.path][req.operation.method.toLowerCase()] : null;
  }

  /** The Allow a path of the document must answer with. */
  allowFor(specPath: string): string {
    const methods = Object.keys(this.doc.paths[specPath]).map((m) => m.toUpperCase());
    return (methods.includes('GET') ? [...methods, 'HEAD'] : methods).join(', ');
  }

  validate(schema: Schema, value: unknown): string | null {
    let validate = this.compiled.get(schema);
    if (!validate) {
      validate = this.ajv.compile({ ...schema, components: this.doc.components });
      this.compiled.set(schema, validate);
    }
    return validate(value) ? null : this.ajv.errorsText(validate.errors, { separator: '; ' }).slice(0, 300);
  }

  check(req: FuzzRequest, res: Answer): Failure[] {
    const failures: Failure[] = [];
    const fail = (check: Check, message: string) => failures.push({ check, message });
    if (res.status >= 500) fail('no 5xx', `${res.status} ${res.text.slice(0, 200)}`);
    const pathname = req.path.split('?')[0];
    // A dot segment (`..`, `%2e`) makes it another path than the one it was generated for.
    const dots = pathname.split('/').some((s) => /^(\.|%2e){1,2}$/i.test(s));
    const op = dots ? null : this.operation(req);
    const specPath = dots
      ? undefined
      : Object.keys(this.doc.paths).find((p) =>
          new RegExp(`^${p.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(pathname),
        );

    if (!op) return [...failures, ...this.checkOffSpec(req, res, specPath)];
    const declared = op.responses[String(res.status)];
    if (!declared)
      return [
        ...failures,
        {
          check: 'status declared',
          message: `${res.status} is not among ${Object.keys(op.responses).join(', ')}: ${res.text.slice(0, 200)}`,
        },
      ];

    const [type, media] = Object.entries(declared.content ?? {})[0] ?? [];
    const got = res.headers['content-type'] ?? '';
    if (type && !got.startsWith(type)) fail('content type', `${res.status}: ${got}, declared ${type}`);
    for (const [name, h] of Object.entries(declared.headers ?? {})) {
      if (h.required && res.headers[name.toLowerCase()] === undefined)
        fail('required headers', `${res.status} without ${name}`);
    }
    if (media) {
      let body: unknown;
      try {
        body = JSON.parse(res.text);
      } catch {
        fail('body schema', `${res.status}: not JSON: ${res.text.slice(0, 100)}`);
        return failures;
      }
      const error = this.validate(media.schema, body);
      if (error) fail('body schema', `${res.status}: ${error}`);
      if (type === 'application/problem+json')
        this.checkProblem(body as Record<string, unknown>, res.status, declared.description, fail);
    }
    return failures;
  }

  private checkOffSpec(req: FuzzRequest, res: Answer, specPath: string | undefined): Failure[] {
    const failures: Failure[] = [];
    const expected = !specPath ? 404 : req.method === 'OPTIONS' ? 204 : 405;
    if (res.status !== expected)
      failures.push({
        check: 'status declared',
        message: `${req.method} ${req.path}: ${res.status}, expected ${expected}`,
      });
    if (specPath && res.headers.allow !== this.allowFor(specPath))
      failures.push({
        check: 'required headers',
        message: `${req.method} ${req.path}: Allow ${res.headers.allow}`,
      });
    if (expected === 204) return failures;
    if (!(res.headers['content-type'] ?? '').startsWith('application/problem+json'))
      failures.push({ check: 'content type', message: `${res.status}: ${res.headers['content-type']}` });
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(res.text);
    } catch {
      failures.push({ check: 'body schema', message: `${res.status}: not JSON` });
      return failures;
    }
    const error = this.validate(this.problem, body);
    if (error) failures.push({ check: 'body schema', message: error });
    this.checkProblem(
      body,
      res.status,
      expected === 404 ? 'not_found' : 'method_not_allowed',
      (check, message) => failures.push({ check, message }),
    );
    return failures;
  }

  /** The problem's status member is the HTTP status, and its code is one the document names for it. */
  private checkProblem(
    body: Record<string, unknown>,
    status: number,
    codes: string,
    fail: (check: Check, message: string) => void,
  ) {
    if (body.status !== status) fail('problem code', `status member ${body.status} on a ${status}`);
    if (!codes.split(/,\s*/).includes(String(body.code)))
      fail('problem code', `code ${body.code} on a ${status}; declared: ${codes}`);
  }
}
