/** `winfix db migrate|status`: apply the schema migrations, or show the database, its schema and row counts. */
import { existsSync, readdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  migrate,
  openExecutor,
  type SchemaStatus,
  Storage,
  type StorageOptions,
  schemaStatus,
} from '../connectors/storage';
import type { Config } from './config';
import { EXIT, type Io } from './io';
import { storageOptions } from './open-storage';

const USAGE = `usage: winfix db migrate        apply pending schema migrations
       winfix db status [--json]  backend, schema version, pending migrations, row counts`;

const pad = (n: number) => String(n).padStart(4, '0');

async function migrateCommand(options: StorageOptions, io: Io): Promise<number> {
  const db = await openExecutor(options);
  try {
    const result = await migrate(db);
    io.out(db.description);
    for (const m of result.applied) io.out(`applied ${pad(m.version)} ${m.name}`);
    io.out(
      result.applied.length === 0
        ? `schema is up to date (version ${result.to})`
        : `schema is now at version ${result.to}`,
    );
    return EXIT.ok;
  } finally {
    await db.close();
  }
}

function describeSchema(status: SchemaStatus): string {
  if (status.current > status.latest)
    return `version ${status.current}, newer than this winfix (${status.latest}): it will refuse this database`;
  if (status.pending.length > 0)
    return `version ${status.current}, this winfix needs ${status.latest} (applied at start-up or by "winfix db migrate")`;
  return `version ${status.current}, up to date`;
}

async function statusCommand(options: StorageOptions, io: Io, asJson: boolean): Promise<number> {
  const dataDir = options.dataDir;
  if (!options.databaseUrl && dataDir && (!existsSync(dataDir) || readdirSync(dataDir).length === 0)) {
    const report = { backend: 'pglite', where: dataDir, exists: false };
    io.out(
      asJson ? JSON.stringify(report, null, 2) : `PGlite in ${dataDir}: no database yet (made on first use)`,
    );
    return EXIT.ok;
  }
  const db = await openExecutor(options);
  try {
    const status = await schemaStatus(db);
    const usable = status.current === status.latest;
    const rows = usable ? await new Storage(db).rowCounts() : null;
    if (asJson) {
      const pending = status.pending.map((m) => ({ version: m.version, name: m.name }));
      io.out(
        JSON.stringify({ backend: db.backend, where: db.description, ...status, pending, rows }, null, 2),
      );
    } else {
      io.out(`backend:  ${db.description}`);
      io.out(`schema:   ${describeSchema(status)}`);
      io.out(
        `pending:  ${status.pending.length ? status.pending.map((m) => `${pad(m.version)} ${m.name}`).join(', ') : 'none'}`,
      );
      if (rows) {
        io.out('rows:');
        for (const [table, n] of Object.entries(rows))
          io.out(`  ${table.padEnd(24)} ${String(n).padStart(8)}`);
      }
    }
    return status.current > status.latest ? EXIT.problems : EXIT.ok;
  } finally {
    await db.close();
  }
}

export async function dbCommand(args: string[], config: Config, io: Io): Promise<number> {
  const [sub, ...rest] = args;
  let json = false;
  try {
    json = parseArgs({ args: rest, options: { json: { type: 'boolean' } } }).values.json ?? false;
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}`);
    return EXIT.usage;
  }
  const options = storageOptions(config, io);
  if (!options) {
    io.err('winfix db: WINFIX_STORAGE=memory keeps no database');
    return EXIT.usage;
  }
  if (sub === 'migrate') return migrateCommand(options, io);
  if (sub === 'status') return statusCommand(options, io, json);
  io.err(USAGE);
  return EXIT.usage;
}
