import { findProgram } from '../settings';

/** prlimit, setpriv and the network's helpers, looked up once (a job's own command each time). */
const tools = new Map<string, string | null>();
export function toolPath(name: string): string | null {
  if (!tools.get(name)) tools.set(name, findProgram(name, `${process.env.PATH ?? ''}:/usr/sbin:/sbin`));
  return tools.get(name)!;
}
