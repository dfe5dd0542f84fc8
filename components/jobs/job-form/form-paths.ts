import type { z } from 'zod';
import { commandConfigSchema, httpConfigSchema, jobDefinitionSchema } from '@/lib/validations/job';

// Pure helpers of the job form: where a server error goes, and the definition preview.

type Kind = 'value' | 'list' | 'record';

/** What a field holds, under its defaults and nullability. */
function kindOf(schema: z.ZodType): Kind {
  let s = schema as z.ZodType & { def: { type: string; innerType?: z.ZodType } };
  while (s.def.innerType) s = s.def.innerType as typeof s;
  if (s.def.type === 'array') return 'list';
  if (s.def.type === 'record') return 'record';
  return 'value';
}

// Fields the form has no error line for: their server errors are shown above the form.
const NOT_SHOWN = new Set(['schedules', 'config.network']);

/** Every field path of a job definition and its kind, read from the schema the form validates with. */
function fieldKinds(): Map<string, Kind> {
  const kinds = new Map<string, Kind>();
  for (const option of jobDefinitionSchema.options)
    for (const [name, field] of Object.entries(option.shape))
      if (name !== 'config') kinds.set(name, kindOf(field as z.ZodType));
  for (const config of [commandConfigSchema, httpConfigSchema])
    for (const [name, field] of Object.entries(config.shape)) kinds.set(`config.${name}`, kindOf(field));
  kinds.set('config', 'value');
  for (const name of NOT_SHOWN) kinds.delete(name);
  return kinds;
}

const FIELDS = fieldKinds();

/**
 * A server error's path as the form holds it: a field's own path; a list item's (`config.args.2`); errors
 * inside env and headers belong to the whole list. null for paths the form does not show.
 */
export function formPath(path: string): string | null {
  if (FIELDS.has(path)) return path;
  // A pipeline's steps (components/pipelines/step-editor.tsx): a step's field, its parents as one field.
  const step = path.match(/^(config\.steps\.\d+\.(?:id|job|condition|parents|params))(?:\.|$)/);
  if (step) return step[1];
  if (path === 'config.steps') return path;
  const parts = path.split('.');
  for (let i = parts.length - 1; i > 0; i--) {
    const kind = FIELDS.get(parts.slice(0, i).join('.'));
    if (kind === 'record') return parts.slice(0, i).join('.');
    if (kind === 'list') return i === parts.length - 1 && /^\d+$/.test(parts[i]) ? path : null;
    if (kind) return null;
  }
  return null;
}

/** The first message anywhere under an error node (arrays and records of errors included). */
export function firstMessage(node: unknown): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const n = node as { message?: unknown };
  if (typeof n.message === 'string' && n.message) return n.message;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'ref' || key === 'type' || key === 'types') continue;
    const found = firstMessage(value);
    if (found) return found;
  }
  return undefined;
}

// In the order of DESIGN.md's example definition.
const DEFINITION_ORDER = [
  'name',
  'description',
  'type',
  'config',
  'concurrency',
  'timeoutSeconds',
  'maxAttempts',
  'paramsSchema',
  'schedules',
  'notifyOnFailure',
  'notifyEmails',
] as const;

/** The definition as the admin CLI reads it from a file: parsed (defaults filled in) when it is valid. */
export function definitionText(values: unknown): string {
  const parsed = (jobDefinitionSchema.safeParse(values).data ?? values) as Record<string, unknown>;
  return JSON.stringify(Object.fromEntries(DEFINITION_ORDER.map((k) => [k, parsed[k] ?? null])), null, 2);
}
