import { describe, expect, it } from 'vitest';
import { graphIssues, pipelineConfigSchema } from './pipeline';

const steps = (edges: Record<string, string[]>) =>
  Object.entries(edges).map(([id, parents]) => ({ id, parents }));

describe('a pipeline is a DAG of its own steps', () => {
  it('accepts fan-out and fan-in, and a chain of 100 steps', () => {
    expect(graphIssues(steps({ a: [], b: ['a'], c: ['a'], d: ['b', 'c'] }))).toEqual([]);
    const chain = Array.from({ length: 100 }, (_, i) => ({ id: `s${i}`, parents: i ? [`s${i - 1}`] : [] }));
    expect(graphIssues(chain)).toEqual([]);
  });

  it('reports a cycle at the parent that closes it, reading the steps in order, with the cycle in flow order', () => {
    expect(graphIssues(steps({ a: [], b: ['a', 'd'], c: ['b'], d: ['c'] }))).toEqual([
      { path: ['steps', 3, 'parents', 0], message: 'Makes a cycle: d → b → c → d' },
    ]);
    expect(graphIssues(steps({ x: ['y'], y: ['x'] }))).toEqual([
      { path: ['steps', 1, 'parents', 0], message: 'Makes a cycle: y → x → y' },
    ]);
  });

  it('reports a step as its own parent, an unknown parent and a repeated id at their paths', () => {
    expect(graphIssues(steps({ a: ['a'] }))[0].path).toEqual(['steps', 0, 'parents', 0]);
    expect(graphIssues(steps({ a: [], b: ['nope'] }))).toEqual([
      { path: ['steps', 1, 'parents', 0], message: 'No step "nope" in this pipeline' },
    ]);
    expect(graphIssues([...steps({ a: [] }), ...steps({ a: [] })])[0].path).toEqual(['steps', 1, 'id']);
  });

  it('parses with defaults, and refuses a {"$param"} object with other keys', () => {
    const parsed = pipelineConfigSchema.parse({
      steps: [{ id: 'a', job: 'j', params: { d: { $param: 'day' } } }],
    });
    expect(parsed.steps[0]).toEqual({
      id: 'a',
      job: 'j',
      parents: [],
      condition: 'succeeded',
      params: { d: { $param: 'day' } },
    });
    const bad = pipelineConfigSchema.safeParse({
      steps: [{ id: 'a', job: 'j', params: { d: { $param: 'day', x: 1 } } }],
    });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0].path).toEqual(['steps', 0, 'params', 'd']);
  });
});
