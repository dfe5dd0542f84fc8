// Raw SQL with named parameters: `where id = :runId::uuid` instead of `$1`. The text is compiled once to
// Postgres's positional form; `args` orders the values by name, so a call cannot swap two of them.

const PARAMETER = /(?<![:\w]):([A-Za-z_]\w*)/g;

export interface NamedSql<P extends Record<string, unknown>> {
  /** The compiled text, with $1, $2, ... */
  readonly text: string;
  /** The parameter names, in the order of $1, $2, ... */
  readonly names: readonly string[];
  /** The text and its values, for `$queryRawUnsafe(...q.args({ ... }))`. */
  args(params: P): [string, ...unknown[]];
}

/** Compiles `text`; a `::type` cast is left alone. Every name must be given when the query is run. */
export function namedSql<P extends Record<string, unknown>>(text: string): NamedSql<P> {
  const names: string[] = [];
  const compiled = text.replace(PARAMETER, (_match, name: string) => {
    if (!names.includes(name)) names.push(name);
    return `$${names.indexOf(name) + 1}`;
  });
  return {
    text: compiled,
    names,
    args(params) {
      const values = names.map((name) => {
        if (!(name in params)) throw new Error(`SQL parameter :${name} was not given`);
        return params[name];
      });
      return [compiled, ...values];
    },
  };
}
