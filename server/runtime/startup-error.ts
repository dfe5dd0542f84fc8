// A start that cannot go on ends with one sentence saying what happened and what to do, never a stack.

export class StartupError extends Error {
  /** Lines that help beside the sentence (the end of a log), printed after it. */
  constructor(
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = 'StartupError';
  }
}

type PgError = Error & { code?: string; errno?: number; syscall?: string };

function where(url: string): { host: string; port: string; user: string; database: string } {
  try {
    const u = new URL(url);
    return {
      host: u.hostname,
      port: u.port || '5432',
      user: decodeURIComponent(u.username),
      database: u.pathname.slice(1) || u.username,
    };
  } catch {
    return { host: '?', port: '?', user: '?', database: '?' };
  }
}

/** The sentence for a failure to connect to or use the database at `url` (named by `name`, e.g. DATABASE_URL). */
export function databaseProblem(error: unknown, url: string, name = 'DATABASE_URL'): StartupError {
  const e = error as PgError;
  const { host, port, user, database } = where(url);
  const at = `${host}:${port}`;
  const say = (sentence: string) => new StartupError(sentence);
  switch (e?.code) {
    case 'ECONNREFUSED':
      return say(
        `${name} points at ${at}, where nothing accepts connections: start PostgreSQL there or correct ${name}.`,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return say(`${name} names the host "${host}", which cannot be resolved: correct the host in ${name}.`);
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return say(
        `${name} points at ${at}, which cannot be reached (${e.code}): check the address, the network and any firewall.`,
      );
    case '28P01':
    case '28000':
      return say(
        `PostgreSQL at ${at} refused the user "${user}" (${e.message}): correct the user and password in ${name}.`,
      );
    case '3D000':
      return say(
        `PostgreSQL at ${at} has no database "${database}": create it (createdb ${database}) or correct ${name}.`,
      );
    case '42501':
      return say(
        `the user "${user}" lacks a permission on database "${database}" (${e.message}): ${name} must name the database's owner (see "External PostgreSQL" in the README).`,
      );
    case '53300':
      return say(
        `PostgreSQL at ${at} has no connection left for "${user}" (${e.message}): raise max_connections or lower DATABASE_POOL_SIZE.`,
      );
  }
  if (/timeout/i.test(e?.message ?? '')) {
    return say(
      `${name} points at ${at}, which does not answer within 5 s: check the address, the network and any firewall.`,
    );
  }
  return say(`the database of ${name} (${at}) failed: ${e?.message ?? String(error)}.`);
}

/** Prints a failed start: the sentence (and its details) for a StartupError, the message alone otherwise. */
export function reportStartupFailure(error: unknown, prefix = '[start]'): void {
  if (error instanceof StartupError) {
    console.error(`${prefix} ${error.message}`);
    for (const line of error.details) console.error(`${prefix}   ${line}`);
    return;
  }
  const message = (error as Error)?.message ?? String(error);
  console.error(
    `${prefix} the start failed: ${message}${process.env.DEBUG_START ? `\n${(error as Error)?.stack}` : ' (DEBUG_START=1 shows where)'}`,
  );
}
