import { commandExecutor } from './command';
import { httpExecutor } from './http';
import type { Executor } from './types';

export type { ExecuteContext, ExecuteResult, Executor, LogStream } from './types';

/** Executors by job type; a new job type adds its file and one line here. */
export const executors: Record<string, Executor> = {
  command: commandExecutor,
  http: httpExecutor,
};
