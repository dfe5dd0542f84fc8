import { describe, expect, it } from 'vitest';
import { logLineSchema, publicRunSchema, RUN_STATUSES } from '../../lib/validations/run';
import { openApiDocument } from './openapi';

// The answers are written out in openapi-schemas.ts; these checks keep them the shapes the code returns.
const doc = openApiDocument('http://localhost');
type ObjectSchema = { required: string[]; properties: Record<string, { enum?: readonly string[] }> };
const component = (name: string) => (doc.components.schemas as Record<string, unknown>)[name] as ObjectSchema;

describe('the OpenAPI answers', () => {
  it('describes every field of the run resource, each one required', () => {
    const run = component('Run');
    const fields = Object.keys(publicRunSchema.shape);
    expect(Object.keys(run.properties).sort()).toEqual([...fields].sort());
    expect([...run.required].sort()).toEqual([...fields].sort());
    expect(run.properties.status.enum).toEqual(RUN_STATUSES);
  });

  it('describes a log line as lib/validations/run.ts does', () => {
    const lines = component('RunLogs').properties.lines as unknown as { items: ObjectSchema };
    expect(Object.keys(lines.items.properties).sort()).toEqual(Object.keys(logLineSchema.shape).sort());
    expect(lines.items.properties.stream.enum).toEqual(logLineSchema.shape.stream.options);
  });
});
