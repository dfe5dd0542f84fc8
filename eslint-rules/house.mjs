// The house rules that a plain no-restricted-imports cannot say: a module that runs in the browser
// ('use client') must never reach server/, whatever path spells it.

const SERVER_PATH = /(^|\/)server(\/|$)|^@\/server(\/|$)/;

/** @type {import('eslint').Rule.RuleModule} */
const noServerInClient = {
  meta: {
    type: 'problem',
    docs: { description: "client components ('use client') must not import server/ modules" },
    messages: {
      serverImport:
        "'{{source}}' is server-only code; a 'use client' module must get data through props or a server action, and shapes from lib/validations/.",
    },
    schema: [],
  },
  create(context) {
    let client = false;
    const check = (node, source) => {
      if (client && typeof source === 'string' && SERVER_PATH.test(source)) {
        context.report({ node, messageId: 'serverImport', data: { source } });
      }
    };
    return {
      Program(program) {
        client = program.body.some((s) => s.type === 'ExpressionStatement' && s.directive === 'use client');
      },
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

// server/ code is evaluated more than once in the web process (Next's two module registries, next dev's
// reloads, scripts/web.ts's own copy), so a module's own mutable variables would exist once per copy:
// two caches, two batchers. State goes through processWide() (server/runtime/process-wide.ts) instead.
const EMPTY_COLLECTIONS = new Set(['Map', 'Set', 'WeakMap', 'WeakSet', 'Array']);

function isEmptyCollection(init) {
  if (!init) return false;
  if (init.type === 'ArrayExpression') return init.elements.length === 0;
  return (
    init.type === 'NewExpression' &&
    init.callee.type === 'Identifier' &&
    EMPTY_COLLECTIONS.has(init.callee.name) &&
    init.arguments.length === 0
  );
}

/** @type {import('eslint').Rule.RuleModule} */
const processWideState = {
  meta: {
    type: 'problem',
    docs: { description: 'no module-level mutable state in server/: use processWide()' },
    messages: {
      mutable:
        "Module-level state ({{kind}}) exists once per copy of this module, and server/ is evaluated more than once in a process; keep it in processWide('<name>', () => ...) (server/runtime/process-wide.ts).",
    },
    schema: [],
  },
  create(context) {
    const checkDeclaration = (declaration) => {
      if (declaration?.type !== 'VariableDeclaration') return;
      if (declaration.kind !== 'const') {
        context.report({ node: declaration, messageId: 'mutable', data: { kind: declaration.kind } });
        return;
      }
      for (const d of declaration.declarations)
        if (isEmptyCollection(d.init))
          context.report({ node: d, messageId: 'mutable', data: { kind: 'an empty collection' } });
    };
    return {
      Program(program) {
        for (const statement of program.body)
          checkDeclaration(statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement);
      },
    };
  },
};

const house = {
  rules: { 'no-server-in-client': noServerInClient, 'process-wide-state': processWideState },
};
export default house;
