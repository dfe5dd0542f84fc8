// The one logger of every process: JSON lines through pino (level, time, role, and the request id,
// organisation, key id or run id of child loggers), or pino-pretty for a person at a terminal.
// Secrets never reach the output: known fields are redacted by path, and every finished line is masked
// for anything that looks like a token, a password field or a database URL's password.
import pino, { type Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';
import { processWide } from '../runtime/process-wide';

export type ProcessRole = 'web' | 'worker' | 'launcher' | 'cli';
export type { Logger };

const CENSOR = '[redacted]';
const SECRET_FIELDS = [
  'password',
  'newPassword',
  'token',
  'secret',
  'clientSecret',
  'apiKey',
  'cookie',
  'authorization',
  'x-api-key',
  'set-cookie',
];
const REDACT_PATHS = [
  ...SECRET_FIELDS.flatMap((f) => [`["${f}"]`, `*["${f}"]`]),
  ...['authorization', 'cookie', 'x-api-key', 'set-cookie'].flatMap((h) => [
    `headers["${h}"]`,
    `*.headers["${h}"]`,
    `req.headers["${h}"]`,
  ]),
];

// Compact JWS/JWE (API keys, session cookies, ID tokens), a URL's user:password@, bearer credentials,
// key=value secrets, and any JSON field named like a secret at any depth: the line is JSON, so one pass
// over its text finds them all, also in a JSON text logged inside a string (quotes escaped as \").
const JWT = /eyJ[A-Za-z0-9_-]{2,}(?:\.[A-Za-z0-9_-]*){2,4}/g;
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^\s:/@"']+):[^\s@/"']+@/gi;
const FIELD_NAMES = `${SECRET_FIELDS.join('|')}|[a-z_-]*password[a-z_-]*|[a-z_-]*secret[a-z_-]*`;
const SECRET_FIELD = new RegExp(String.raw`"(${FIELD_NAMES})"\s*:\s*"(?:[^"\\]|\\.)*"`, 'gi');
const SECRET_FIELD_IN_STRING = new RegExp(
  String.raw`\\"(${FIELD_NAMES})\\"\s*:\s*\\"(?:\\\\\\"|[^"])*?\\"`,
  'gi',
);
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g;
const QUERY_SECRET = /\b(password|secret|token|api_key|client_secret|code)=[^&\s"'\\;]+/gi;

/** Masks what must never be written; used on every log line and available for other output. */
export function maskSecrets(text: string): string {
  return text
    .replace(JWT, '[redacted-jwt]')
    .replace(URL_PASSWORD, `$1:${CENSOR}@`)
    .replace(SECRET_FIELD, `"$1":"${CENSOR}"`)
    .replace(SECRET_FIELD_IN_STRING, `\\"$1\\":\\"${CENSOR}\\"`)
    .replace(BEARER, `$1 ${CENSOR}`)
    .replace(QUERY_SECRET, `$1=${CENSOR}`);
}

export interface LoggerOptions {
  /** 'json' (default when stdout is not a terminal) or 'pretty'. */
  format?: string;
  level?: string;
  /** Where lines go (default: stdout; stderr for the CLI, whose stdout is its answer). */
  write?: (line: string) => void;
}

export function createLogger(role: ProcessRole, options: LoggerOptions = {}): Logger {
  const out = role === 'cli' ? process.stderr : process.stdout;
  const format = (options.format ?? process.env.LOG_FORMAT ?? (out.isTTY ? 'pretty' : 'json')).toLowerCase();
  const write = options.write ?? ((line: string) => void out.write(line));
  const pretty =
    format === 'pretty'
      ? prettyFactory({
          colorize: Boolean(out.isTTY) && !options.write,
          ignore: 'pid,hostname,role',
          messageFormat: '({role}) {msg}',
          translateTime: 'SYS:HH:MM:ss',
        })
      : null;
  const stream = { write: (line: string) => write(pretty ? pretty(maskSecrets(line)) : maskSecrets(line)) };
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      base: { role, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: CENSOR },
    },
    stream,
  );
}

// One root logger a process (process-wide.ts): every copy of server/ writes through the same one.
const root = processWide('logger', () => ({ logger: undefined as Logger | undefined }));

/** Sets the process's role; the entry point calls it first (web, worker, launcher, cli). */
export function initLogger(role: ProcessRole, options?: LoggerOptions): Logger {
  return (root.logger = createLogger(role, options));
}

/** The process's logger (role "web" when no entry point said otherwise: Next's own server). */
export function logger(): Logger {
  return (root.logger ??= createLogger('web'));
}

const RUN_LINE = /^run ([0-9a-f-]{36})\b/i;
const TROUBLE = /fail|could not|error|lost|refus/i;

/** A `(line) => void` sink for code that reports plain lines (the worker): run ids become a field. */
export function lineLogger(base: () => Logger = logger): (line: string) => void {
  return (line) => {
    const runId = RUN_LINE.exec(line)?.[1];
    const log = base();
    const level = TROUBLE.test(line) ? 'warn' : 'info';
    if (runId) log[level]({ runId }, line);
    else log[level](line);
  };
}
