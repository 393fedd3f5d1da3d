/**
 * The server's log: one JSON object per line (pino), each with its level, time, the request id and
 * conversation id of the request or turn it belongs to (see log-context.ts), and a message. Secrets
 * never reach a line: every string is scrubbed of the configured secret values and of anything shaped
 * like a credential (Bearer tokens, JWTs, Slack tokens, passwords in URLs) before it is written.
 * Message bodies are logged only at debug, scrubbed the same way.
 */
import pino from 'pino';
import { currentLogContext } from './log-context';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type LogFields = Record<string, unknown>;

/** What every connector's log interface asks for (TeamsLog, ConnectorLogger, StorageLog, RemoteLog). */
export interface WinfixLogger {
  readonly level: LogLevel;
  debug(message: string, fields?: LogFields | unknown): void;
  info(message: string, fields?: LogFields | unknown): void;
  warn(message: string, fields?: LogFields | unknown): void;
  error(message: string, fields?: LogFields | unknown): void;
  /** Whether lines at `level` are written. */
  enabled(level: LogLevel): boolean;
}

export interface LoggerOptions {
  /** Lowest level written. Default info. */
  level?: LogLevel;
  /** Receives each line (without its newline). Default: standard error. */
  write?: (line: string) => void;
  /** Values never to be written (tokens, passwords); blanks and very short values are ignored. */
  secrets?: readonly (string | null | undefined)[];
}

const REDACTED = '[redacted]';

/** Credential shapes, whatever their value. */
const CREDENTIAL_PATTERNS: readonly [RegExp, string][] = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/gi, `$1 ${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, REDACTED],
  [/\bx(?:ox[abposre]|app)-[A-Za-z0-9-]{4,}/g, REDACTED],
  [/\b([a-z][a-z0-9+.-]{1,20}:\/\/[^\s:/@]{1,200}:)[^\s@/]{1,200}@/gi, `$1${REDACTED}@`],
];

/** Replaces secret values and credential shapes in `text`. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  for (const [pattern, replacement] of CREDENTIAL_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

function scrubValue(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof value === 'string') return scrub(value, secrets);
  if (value instanceof Error)
    return {
      type: value.name,
      message: scrub(value.message, secrets),
      code: (value as { code?: unknown }).code,
    };
  if (depth > 3 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, secrets, depth + 1));
  const out: LogFields = {};
  for (const [key, item] of Object.entries(value))
    out[key] = /authorization|password|secret|token|cookie/i.test(key)
      ? REDACTED
      : scrubValue(item, secrets, depth + 1);
  return out;
}

/** Fields for a line: an object as it is, an Error as `err`, anything else as `detail`. */
function fieldsOf(extra: unknown): LogFields {
  if (extra === undefined) return {};
  if (extra instanceof Error) return { err: extra };
  if (typeof extra === 'object' && extra !== null && !Array.isArray(extra)) return extra as LogFields;
  return { detail: extra };
}

export function createLogger(options: LoggerOptions = {}): WinfixLogger {
  const level = options.level ?? 'info';
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const secrets = [
    ...new Set((options.secrets ?? []).filter((s): s is string => !!s && s.trim().length >= 4)),
  ]
    // Longest first, so a secret containing another is replaced whole.
    .sort((a, b) => b.length - a.length);
  const base = pino(
    {
      level,
      base: null,
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => ({ ...currentLogContext() }),
    },
    { write: (chunk: string) => write(chunk.endsWith('\n') ? chunk.slice(0, -1) : chunk) },
  );
  const at =
    (name: LogLevel) =>
    (message: string, extra?: unknown): void => {
      if (!base.isLevelEnabled(name)) return;
      base[name](scrubValue(fieldsOf(extra), secrets) as LogFields, scrub(String(message), secrets));
    };
  return {
    level,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    enabled: (name) => base.isLevelEnabled(name),
  };
}
