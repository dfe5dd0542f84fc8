// The admin CLI's passwords: from standard input or a prompt at a terminal, never from argv.
import { fail } from './admin-commands';

/**
 * The password for `user create` and `user reset-password`: from stdin (`--password-stdin`) or a prompt
 * at a terminal, never from argv (it would stay in the shell's history and in `ps`).
 */
export async function readPassword(values: {
  password?: unknown;
  'password-stdin'?: unknown;
}): Promise<string> {
  if (values.password !== undefined)
    fail(
      'a password is never taken from the command line: pipe it with --password-stdin, or leave both out to be asked',
    );
  let password: string;
  if (values['password-stdin']) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    password = Buffer.concat(chunks)
      .toString('utf8')
      .replace(/\r?\n$/, '');
  } else if (process.stdin.isTTY) {
    password = await prompt('Password (not shown): ');
    if ((await prompt('The password again: ')) !== password) fail('the two passwords differ');
  } else {
    fail('give the password with --password-stdin (standard input is not a terminal to ask at)');
  }
  if (password!.length < 12) fail('the password needs at least 12 characters');
  return password!;
}

/** Reads one line at the terminal without echoing it. */
function prompt(question: string): Promise<string> {
  return new Promise((resolve) => {
    process.stderr.write(question);
    const stdin = process.stdin;
    stdin.setRawMode(true);
    stdin.resume();
    let answer = '';
    const onData = (data: Buffer) => {
      for (const ch of data.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          resolve(answer);
          return;
        }
        if (ch === '\u0003') process.exit(130);
        answer = ch === '\u007f' ? answer.slice(0, -1) : answer + ch;
      }
    };
    stdin.on('data', onData);
  });
}
