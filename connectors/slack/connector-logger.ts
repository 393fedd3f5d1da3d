/**
 * The logger the connector writes to (console fits), and its adapter to Bolt's `Logger` so Bolt, the
 * Web API client and the Socket Mode client all write to the same place.
 */
import { type Logger, LogLevel } from '@slack/bolt';

export interface ConnectorLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const RANK: Record<LogLevel, number> = {
  [LogLevel.DEBUG]: 0,
  [LogLevel.INFO]: 1,
  [LogLevel.WARN]: 2,
  [LogLevel.ERROR]: 3,
};

function line(parts: unknown[]): string {
  return parts
    .map((p) => (p instanceof Error ? `${p.name}: ${p.message}` : typeof p === 'string' ? p : String(p)))
    .join(' ');
}

/** Bolt's logger interface over a ConnectorLogger; Bolt's chatter below `level` is dropped. */
export function boltLogger(target: ConnectorLogger, level: LogLevel = LogLevel.INFO): Logger {
  let current = level;
  let name = 'slack';
  const at = (l: LogLevel) => RANK[l] >= RANK[current];
  return {
    debug: (...msg: unknown[]) => {
      if (at(LogLevel.DEBUG)) target.debug(`[${name}] ${line(msg)}`);
    },
    info: (...msg: unknown[]) => {
      if (at(LogLevel.INFO)) target.info(`[${name}] ${line(msg)}`);
    },
    warn: (...msg: unknown[]) => {
      if (at(LogLevel.WARN)) target.warn(`[${name}] ${line(msg)}`);
    },
    error: (...msg: unknown[]) => {
      if (at(LogLevel.ERROR)) target.error(`[${name}] ${line(msg)}`);
    },
    setLevel: (l: LogLevel) => {
      current = l;
    },
    getLevel: () => current,
    setName: (n: string) => {
      name = n;
    },
  };
}
