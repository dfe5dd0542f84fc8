import type { Rule } from 'eslint';

declare const house: { rules: Record<'no-server-in-client', Rule.RuleModule> };
export default house;
