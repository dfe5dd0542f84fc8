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

const house = { rules: { 'no-server-in-client': noServerInClient } };
export default house;
