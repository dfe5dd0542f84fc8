// npx tsx bench/params-validation.ts: how long checking params takes with a params schema at the
// validation budget's caps (server/jobs/schema-budget.ts), on the worst bodies that fit in 64 KiB.
// In-process, no database; prints one line per case (median and worst of 20 runs, after a warm-up).
import { checkParams } from '../server/jobs/check-params';
import { SCHEMA_BUDGET } from '../server/jobs/schema-budget';

const LIMIT = 64 * 1024;

/** The longest array of `item` whose JSON fits in the body limit (with room for the envelope). */
function fill<T>(item: (i: number) => T, max: number): T[] {
  const out: T[] = [];
  let size = 40;
  for (let i = 0; i < max; i++) {
    const next = JSON.stringify(item(i)).length + 1;
    if (size + next > LIMIT) break;
    size += next;
    out.push(item(i));
  }
  return out;
}

// Every keyword the budget allows at its cap, with anyOf branches that all run (the last one matches).
const branch = (n: number): object[] =>
  Array.from({ length: n }, (_, i) => ({ type: 'string', pattern: `^x${i}[a-z]{0,20}$` }));
const cases: { name: string; schema: object; params: Record<string, unknown> }[] = [
  {
    name: `uniqueItems on ${SCHEMA_BUDGET.uniqueItems} strings`,
    schema: {
      properties: {
        a: {
          type: 'array',
          uniqueItems: true,
          maxItems: SCHEMA_BUDGET.uniqueItems,
          items: { type: 'string' },
        },
      },
    },
    params: { a: fill((i) => `s${i}`, SCHEMA_BUDGET.uniqueItems) },
  },
  {
    name: 'items with 60 patterned anyOf branches, 64 KiB of short strings',
    schema: {
      properties: {
        a: {
          type: 'array',
          maxItems: SCHEMA_BUDGET.maxItems,
          items: { anyOf: branch(60).concat([{ type: 'integer' }]) },
        },
      },
    },
    params: { a: fill((i) => i % 10, SCHEMA_BUDGET.maxItems) },
  },
  {
    name: `nested references near ${SCHEMA_BUDGET.expandedNodes} expanded nodes, 64 KiB of numbers`,
    schema: {
      $defs: {
        leaf: { anyOf: branch(8).concat([{ type: 'number', multipleOf: 1 }]) },
        mid: { anyOf: [1, 2, 3, 4, 5, 6, 7].map(() => ({ $ref: '#/$defs/leaf' })) },
        top: { allOf: [1, 2, 3].map(() => ({ $ref: '#/$defs/mid' })) },
      },
      properties: { a: { type: 'array', maxItems: SCHEMA_BUDGET.maxItems, items: { $ref: '#/$defs/top' } } },
    },
    params: { a: fill((i) => i % 10, SCHEMA_BUDGET.maxItems) },
  },
];

for (const c of cases) {
  const job = { id: c.name, orgId: 'bench', updatedAt: new Date(), paramsSchema: c.schema };
  const run = () => {
    const started = performance.now();
    try {
      checkParams(job, c.params);
    } catch (error) {
      console.error(
        c.name,
        (error as Error).message,
        JSON.stringify((error as { errors?: unknown }).errors)?.slice(0, 300),
      );
      process.exit(1);
    }
    return performance.now() - started;
  };
  run();
  const times = Array.from({ length: 20 }, run).sort((a, b) => a - b);
  const size = JSON.stringify(c.params).length;
  console.log(
    `${c.name} (${(size / 1024).toFixed(1)} KiB): median ${times[10].toFixed(1)} ms, worst ${times[19].toFixed(1)} ms`,
  );
}
