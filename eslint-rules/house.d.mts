import type { Rule } from 'eslint';

declare const house: { rules: Record<'no-server-in-client' | 'process-wide-state', Rule.RuleModule> };
export default house;
