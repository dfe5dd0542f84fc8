import { readdir, readFile } from 'node:fs/promises';

/**
 * The pids below `root` on this machine, from the parent pids in /proc/<pid>/stat (this kernel may lack
 * /proc/<pid>/task/<tid>/children). Used to give a sandboxed program its SIGTERM: the sandbox's own init
 * ignores signals from outside its namespace, and killing bwrap kills the whole namespace at once.
 */
export async function descendantsOf(root: number): Promise<number[]> {
  const children = new Map<number, number[]>();
  const entries = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  await Promise.all(
    entries.map(async (name) => {
      const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid) children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    }),
  );
  const found: number[] = [];
  for (let queue = [root]; queue.length;) {
    const next = queue.flatMap((pid) => children.get(pid) ?? []);
    found.push(...next);
    queue = next;
  }
  return found;
}
