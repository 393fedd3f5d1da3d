/** `winfix audit [--since ISO|30m|2h|7d] [--user ID] [--limit N] [--json]`: prints the audit log, oldest first. */
import { parseArgs } from 'node:util';
import type { AuditEntry } from '../connectors/storage';
import type { Config } from './config';
import { EXIT, type Io } from './io';
import { openConfiguredStorage } from './open-storage';

const USAGE = 'usage: winfix audit [--since ISO|30m|2h|7d] [--user ID] [--limit N] [--json]';
const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** "2h", "7d", "30m", "1w" before `now`, or an ISO date/time; null when it is neither. */
export function parseSince(value: string, now: Date): Date | null {
  const relative = /^(\d{1,6})([mhdw])$/.exec(value.trim());
  if (relative)
    return new Date(now.getTime() - Number(relative[1]) * (UNITS[relative[2] as string] as number));
  if (!/^\d{4}-\d{2}-\d{2}/.test(value)) return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at;
}

function line(e: AuditEntry): string {
  const data = Object.keys(e.data).length ? ` ${JSON.stringify(e.data)}` : '';
  const target = e.targetUser && e.targetUser !== e.actor ? ` user=${e.targetUser}` : '';
  return `${e.at}  ${e.actor}  ${e.action}  ${e.subject ?? '-'}${target}${data}`;
}

export async function auditCommand(
  args: string[],
  config: Config,
  io: Io,
  now = new Date(),
): Promise<number> {
  let values: { since?: string; user?: string; limit?: string; json?: boolean };
  try {
    values = parseArgs({
      args,
      options: {
        since: { type: 'string' },
        user: { type: 'string' },
        limit: { type: 'string' },
        json: { type: 'boolean' },
      },
    }).values;
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}`);
    return EXIT.usage;
  }
  const since = values.since === undefined ? undefined : parseSince(values.since, now);
  if (since === null) {
    io.err(
      `winfix audit: --since takes an ISO date/time or 30m, 2h, 7d, 1w (got "${values.since}")\n${USAGE}`,
    );
    return EXIT.usage;
  }
  const limit = values.limit === undefined ? 1000 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) {
    io.err(`winfix audit: --limit takes a positive whole number (got "${values.limit}")\n${USAGE}`);
    return EXIT.usage;
  }
  const storage = await openConfiguredStorage(config, io);
  if (!storage) {
    io.err('winfix audit: WINFIX_STORAGE=memory keeps no audit log');
    return EXIT.usage;
  }
  try {
    const entries = await storage.audit.list({ since, user: values.user, limit });
    if (values.json) io.out(JSON.stringify(entries, null, 2));
    else if (entries.length === 0) io.out('(no audit entries)');
    else for (const entry of entries) io.out(line(entry));
    return EXIT.ok;
  } finally {
    await storage.close();
  }
}
