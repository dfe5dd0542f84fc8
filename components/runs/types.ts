// The log view's line is the one shape of a log line (lib/validations/run.ts).
export type { LogLine } from '@/lib/validations/run';
