// npm run admin -- <command>: administration against DATABASE_URL or the embedded database of DATA_DIR,
// whether or not the app is running.
import { parseArgs } from 'node:util';
import { COMMANDS, fail, UsageError } from './admin-commands';
import { initLogger } from '../server/observability/logger';
import { openDatabase } from './db-target';

// Server code's log lines go to stderr: stdout is the command's answer (a token, JSON).
initLogger('cli');

const USAGE = `usage: npm run admin -- <command>

  org create <slug> [--name <name>]
  org grant-commands <slug> [--role <owner|admin|editor>]   (the lowest role that may define command jobs; default admin)
  org revoke-commands <slug>                                (queued command runs of the organisation then fail)
  user create <email> --org <slug> --role <owner|admin|editor|viewer> [--name <name>]
             [--password-stdin | --sso-only]   (asks for the password at a terminal; fails on an existing account)
  user reset-password <email> [--password-stdin]   (ends the account's sessions)
  job create --org <slug> --file <job.json>
  key create --org <slug> --owner <email> --name <app> --selector <uid> [--description <text>]
             [--type personal|functional] [--expires <ISO time>] [--jobs <id,id>]
             [--field <name>=<JSON or text>]... [--rate-limit <per minute; 0 = none>]
  key revoke <key id>
  webhook create --org <slug> --url <url> --events <event,event> [--jobs <id,id>] [--description <text>]
             events: run.succeeded, run.failed, run.cancelled, run.started, key.revoked
  member invite --org <slug> <email> [--role <role>]   (mails the single-use link and prints it; default role editor)
  member add --org <slug> <email> --role <role>        (an existing account whose address is proven)
  member role --org <slug> <email> --role <role>
  member remove --org <slug> <email>
  connection list --org <slug>
  connection create --org <slug> --name <name> --type <generic|postgres|http_basic|http_bearer|certificate>
             --field <name>=<value or @file>... [--secret <name,name> (generic: which fields are secret)]
             [--scope shared|personal --owner <email>] [--description <text>] [--expires <YYYY-MM-DD>]
  connection delete --org <slug> <name or id>
  connection rotate-key   (re-wraps every organisation's data key under a new key pair in DATA_DIR)`;

async function main(argv: string[]) {
  const [noun, verb, ...rest] = argv;
  if (!noun || noun === 'help' || noun === '--help') {
    console.log(USAGE);
    return;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      org: { type: 'string' },
      role: { type: 'string' },
      password: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      'sso-only': { type: 'boolean' },
      file: { type: 'string' },
      owner: { type: 'string' },
      selector: { type: 'string' },
      description: { type: 'string' },
      type: { type: 'string' },
      expires: { type: 'string' },
      jobs: { type: 'string' },
      field: { type: 'string', multiple: true },
      'rate-limit': { type: 'string' },
      url: { type: 'string' },
      events: { type: 'string' },
      scope: { type: 'string' },
      secret: { type: 'string' },
    },
  });
  const command = `${noun} ${verb ?? ''}`.trim();
  const run = COMMANDS[command] ?? fail(`unknown command "${command}"`);

  const database = await openDatabase();
  try {
    // Imported only now: the database client reads DATABASE_URL when it loads.
    const { db } = await import('../server/db');
    const { AppError } = await import('../server/errors');
    const orgBySlug = async (slug: string | undefined) => {
      if (!slug) fail('--org <slug> is required');
      const org = await db.organization.findUnique({ where: { slug } });
      return org ?? fail(`no organisation "${slug}"`);
    };
    try {
      await run({ command, values, positionals, db, orgBySlug });
    } catch (error) {
      if (error instanceof AppError) {
        const details =
          error.errors?.map((e) => `\n  ${e.path}: ${e.message}${e.rule ? ` (${e.rule})` : ''}`).join('') ??
          '';
        throw new UsageError(`${error.message}${details}`);
      }
      throw error;
    } finally {
      await db.$disconnect();
      const { pool } = await import('../server/db');
      await pool.end().catch(() => {});
    }
  } finally {
    await database.stop();
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error) => {
    if (error instanceof UsageError || String(error?.code).startsWith('ERR_PARSE_ARGS')) {
      console.error(`error: ${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    console.error(`error: ${(error as Error).message}`);
    process.exit(1);
  },
);
