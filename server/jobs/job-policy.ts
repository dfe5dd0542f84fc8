import path from 'node:path';
import type { JobDefinition } from '../../lib/validations/job';
import { roleAtLeast } from '../auth/roles';
import { appSettings } from '../config';
import type { Role } from '../db';
import { AppError, type FieldError } from '../errors';
import { isAllowedByOperator, isIpLiteral, parseAllowedHosts, refusedRange } from '../net/address-policy';

// What a job definition may contain on this server, beyond its shape (lib/validations/job.ts): the
// operator's rules for commands, environment names and HTTP destinations. Checked when a job is saved.

export type CommandJobsMode = 'off' | 'admins' | 'editors';

/** Who saves a job: a member with a role, or the operator (the admin CLI), who passes the role rule only. */
export type JobAuthor = { role: Role } | 'operator';

/**
 * COMMAND_JOBS: `off`, `admins` (the default) or `editors`. The earlier on/true/yes/1 only said "enabled",
 * so they mean the default, admins; false/no/0 mean off.
 */
export function commandJobsMode(value = process.env.COMMAND_JOBS): CommandJobsMode {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '' || ['admins', 'on', 'true', 'yes', '1'].includes(v)) return 'admins';
  if (['off', 'false', 'no', '0'].includes(v)) return 'off';
  if (v === 'editors') return 'editors';
  throw new Error(`COMMAND_JOBS must be off, admins or editors, got "${value}"`);
}

/** Environment names that change how a program loads or which program runs; a job may not set them. */
const LOADER_ENV = new Set([
  'NODE_OPTIONS',
  'NODE_PATH',
  'NODE_EXTRA_CA_CERTS',
  'NODE_TLS_REJECT_UNAUTHORIZED',
  'NODE_REPL_EXTERNAL_MODULE',
  'PYTHONPATH',
  'PYTHONSTARTUP',
  'PYTHONHOME',
  'PYTHONINSPECT',
  'PYTHONUSERBASE',
  'PYTHONBREAKPOINT',
  'PERL5LIB',
  'PERL5OPT',
  'PERLLIB',
  'PERL5DB',
  'RUBYOPT',
  'RUBYLIB',
  'GEM_PATH',
  'GEM_HOME',
  'JAVA_TOOL_OPTIONS',
  '_JAVA_OPTIONS',
  'JDK_JAVA_OPTIONS',
  'CLASSPATH',
  'BASH_ENV',
  'ENV',
  'PATH',
  'IFS',
  'SHELLOPTS',
  'BASHOPTS',
  'PS4',
  'PROMPT_COMMAND',
  'CDPATH',
  'GCONV_PATH',
  'LOCPATH',
  'NLSPATH',
  'HOSTALIASES',
  'RES_OPTIONS',
  'GLIBC_TUNABLES',
  'TMPDIR',
  'HOME',
]);
const LOADER_ENV_PREFIXES = ['LD_', 'DYLD_', 'MALLOC_', 'BASH_FUNC_', 'NODE_V8_', 'PYTHONDEV'];

export function isLoaderEnv(name: string): boolean {
  const upper = name.toUpperCase();
  return LOADER_ENV.has(upper) || LOADER_ENV_PREFIXES.some((prefix) => upper.startsWith(prefix));
}

/** COMMAND_ALLOWLIST: absolute paths or globs (`*` within a folder, `**` across folders), comma-separated. */
export function commandAllowlist(value = process.env.COMMAND_ALLOWLIST): RegExp[] {
  return (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map(
      (glob) =>
        new RegExp(
          `^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*\*|\*/g, (star) => (star === '**' ? '.*' : '[^/]*'))}$`,
        ),
    );
}

/**
 * Why this author may not save a command job in an organisation with this grant, or null when they may
 * (the form shows it up front). Three things must all allow it: COMMAND_JOBS is not `off`, the operator
 * granted command jobs to the organisation (`org grant-commands`), and the member's role is at least
 * both the grant's role and COMMAND_JOBS's (admins, or editors). The operator passes the role rules.
 */
export function commandJobsRefusal(author: JobAuthor, grant: Role | null): string | null {
  const mode = commandJobsMode();
  if (mode === 'off') return 'Command jobs are turned off on this server (COMMAND_JOBS=off).';
  if (grant === null) {
    return author === 'operator'
      ? 'This organisation has no grant for command jobs: grant it first (npm run admin -- org grant-commands <slug>).'
      : 'This organisation may not define command jobs: the server’s operator grants them per organisation. An HTTP job needs no such grant.';
  }
  if (author === 'operator') return null;
  const floor: Role = mode === 'editors' ? 'editor' : 'admin';
  const needed = roleAtLeast(grant, floor) ? grant : floor;
  if (!roleAtLeast(author.role, needed)) {
    const who = { owner: 'owners', admin: 'admins and owners', editor: 'editors, admins and owners' }[
      needed as 'owner' | 'admin' | 'editor'
    ];
    const why = needed === floor ? `COMMAND_JOBS=${mode}` : 'the operator’s grant';
    return `Only ${who} may define command jobs in this organisation (${why}); an HTTP job needs no such right.`;
  }
  return null;
}

function commandErrors(
  def: Extract<JobDefinition, { type: 'command' }>,
  author: JobAuthor,
  grant: Role | null,
): FieldError[] {
  const errors: FieldError[] = [];
  const refuse = (message: string) =>
    errors.push({ path: 'config.command', message, rule: 'command_not_allowed' });
  const byRole = commandJobsRefusal(author, grant);
  if (byRole) refuse(byRole);
  const allowlist = commandAllowlist();
  const command = def.config.command;
  if (errors.length === 0 && allowlist.length > 0) {
    if (!path.posix.isAbsolute(command) || path.posix.normalize(command) !== command) {
      refuse(
        'Give the executable’s absolute path, without . or .. (this server allows only listed executables).',
      );
    } else if (!allowlist.some((re) => re.test(command))) {
      refuse(
        `${command} is not among the executables this server allows (COMMAND_ALLOWLIST: ${process.env.COMMAND_ALLOWLIST}).`,
      );
    }
  }
  for (const name of Object.keys(def.config.env)) {
    if (isLoaderEnv(name)) {
      errors.push({
        path: `config.env.${name}`,
        message: `${name} changes how programs load or which program runs; a job may not set it.`,
        rule: 'env_not_allowed',
      });
    }
  }
  return errors;
}

function httpErrors(def: Extract<JobDefinition, { type: 'http' }>): FieldError[] {
  // A URL taken from a connection is known at run time only; the worker's address guard checks it then.
  if (typeof def.config.url !== 'string') return [];
  const url = new URL(def.config.url);
  const hostname = url.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  const loopbackName = hostname === 'localhost' || hostname.endsWith('.localhost');
  const range = isIpLiteral(hostname) ? refusedRange(hostname) : loopbackName ? 'loopback addresses' : null;
  if (
    !range ||
    isAllowedByOperator(parseAllowedHosts(process.env.HTTP_JOBS_ALLOWED_HOSTS), {
      hostname,
      address: loopbackName ? '127.0.0.1' : hostname,
      port,
    })
  )
    return [];
  return [
    {
      path: 'config.url',
      message: `${hostname} is refused: ${range} are not allowed (an operator can open it with HTTP_JOBS_ALLOWED_HOSTS).`,
      rule: 'host_not_allowed',
    },
  ];
}

/**
 * For the worker, before it runs a command job saved earlier or under other settings: the operator's
 * rules that hold whoever saved it (the organisation's grant, COMMAND_ALLOWLIST, loader environment
 * names), as a run error.
 */
export function commandRunRefusal(
  config: { command: string; env: Record<string, unknown> },
  grant: Role | null,
): string | null {
  const errors = commandErrors(
    {
      name: '-',
      description: '',
      type: 'command',
      config: {
        command: config.command,
        env: Object.fromEntries(Object.keys(config.env).map((name) => [name, ''])),
        args: [],
        network: false,
      },
      concurrency: 'single',
      timeoutSeconds: 1,
      maxAttempts: 1,
      paramsSchema: null,
    },
    'operator',
    grant,
  );
  return errors.length > 0 ? `refused: ${errors[0].message} (${errors[0].rule})` : null;
}

/**
 * Reads COMMAND_JOBS, COMMAND_ALLOWLIST, HTTP_JOBS_ALLOWED_HOSTS and the app's settings (ORG_CREATION,
 * SMTP_URL, EMAIL_FROM) once at start, so a typo stops the process with its reason.
 */
export function assertOperatorSettings(): void {
  appSettings();
  commandJobsMode();
  commandAllowlist();
  parseAllowedHosts(process.env.HTTP_JOBS_ALLOWED_HOSTS);
}

/** Refuses, as 422 with the field and the rule, a definition this server's operator does not allow. */
export function assertJobAllowed(def: JobDefinition, author: JobAuthor, grant: Role | null): void {
  if (def.type === 'pipeline') return; // its steps' jobs passed these rules when they were saved
  const errors = def.type === 'command' ? commandErrors(def, author, grant) : httpErrors(def);
  if (errors.length > 0) throw new AppError('validation_failed', errors[0].message, { errors });
}
