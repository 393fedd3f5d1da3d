/**
 * `winfix enroll add|remove|list|import`: which chat identity owns which PC, and the PC's Hybrid Runbook
 * Worker group (one group per PC, one person per PC). Every change is in the audit log.
 */
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import type { Enrollment } from '../connectors/storage';
import { formatIdentity, type Identity, parseIdentity } from '../connectors/storage/enrollment-identity';
import {
  computerNameProblem,
  type EnrollmentCheck,
  type Enrollments,
  workerGroupProblem,
} from '../connectors/storage/enrollments';
import type { Config } from './config';
import { type ImportFailure, type ImportLine, type ImportPlan, planImport } from './enroll-import';
import { EXIT, type Io } from './io';
import { openConfiguredStorage } from './open-storage';

const USAGE = `usage: winfix enroll add IDENTITY COMPUTER WORKER_GROUP [--by WHO] [--force]
       winfix enroll remove IDENTITY COMPUTER [--by WHO]
       winfix enroll list [--user IDENTITY] [--json]
       winfix enroll import FILE.csv [--dry-run] [--by WHO]
IDENTITY is teams:<AAD object id>, slack:<user id> or an e-mail address;
the CSV has the header identity,computer,worker_group`;

const OPTIONS = {
  by: { type: 'string' },
  force: { type: 'boolean' },
  user: { type: 'string' },
  json: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
} as const;

/** Which options each sub-command takes, and how many operands. */
const FORMS: Record<string, { options: (keyof typeof OPTIONS)[]; operands: number }> = {
  add: { options: ['by', 'force'], operands: 3 },
  remove: { options: ['by'], operands: 2 },
  list: { options: ['user', 'json'], operands: 0 },
  import: { options: ['dry-run', 'by'], operands: 1 },
};

type Values = { by?: string; force?: boolean; user?: string; json?: boolean; 'dry-run'?: boolean };

function defaultBy(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

/** An identity `inputProblem` has already checked. */
const identityOf = (text: string): Identity => parseIdentity(text) as Identity;

const who = (e: { platform: string; userId: string }) => formatIdentity(e);

/** Why a PC cannot be enrolled to `identity`, one sentence per obstacle; [] when nothing is in the way. */
export function obstacles(computerName: string, identity: Identity, check: EnrollmentCheck): string[] {
  const mine = (e: Enrollment) => who(e) === formatIdentity(identity);
  return [
    ...check.computerTaken.map((e) =>
      mine(e)
        ? `${computerName} is already enrolled to ${who(e)} as ${e.computerName}`
        : `${computerName} is already enrolled to ${who(e)}${e.computerName === computerName ? '' : ` as ${e.computerName}`}`,
    ),
    ...check.groupTaken.map(
      (e) =>
        `worker group ${e.workerGroup} is already used by ${e.computerName} (${who(e)}); one group per PC`,
    ),
  ];
}

async function addCommand(enrollments: Enrollments, operands: string[], values: Values, io: Io) {
  const [identityText, computerName, workerGroup] = operands as [string, string, string];
  const identity = identityOf(identityText);
  const input = { ...identity, computerName, workerGroup, by: values.by ?? defaultBy() };
  const outcome = await enrollments.place(input, { move: values.force });
  const name = formatIdentity(identity);
  if (outcome.kind === 'refused') {
    for (const reason of obstacles(computerName, identity, outcome.check)) io.err(`winfix enroll: ${reason}`);
    if (outcome.check.groupTaken.length === 0)
      io.err(`winfix enroll: nothing changed; --force moves ${computerName} to ${name}`);
    else io.err('winfix enroll: nothing changed');
    return EXIT.problems;
  }
  for (const e of outcome.moved) io.out(`removed ${e.computerName} from ${who(e)}`);
  if (outcome.kind === 'unchanged')
    io.out(`unchanged: ${computerName} is already enrolled to ${name} with worker group ${workerGroup}`);
  else io.out(`${outcome.kind} ${name} ${computerName} (worker group ${workerGroup})`);
  return EXIT.ok;
}

async function removeCommand(enrollments: Enrollments, operands: string[], values: Values, io: Io) {
  const [identityText, computerName] = operands as [string, string];
  const identity = identityOf(identityText);
  const theirs = await enrollments.forUser(identity.platform, identity.userId);
  const found = theirs.find((e) => e.computerName.toLowerCase() === computerName.toLowerCase());
  const removed =
    found &&
    (await enrollments.remove(
      identity.platform,
      identity.userId,
      found.computerName,
      values.by ?? defaultBy(),
    ));
  if (!found || !removed) {
    const has = theirs.length ? ` (enrolled: ${theirs.map((e) => e.computerName).join(', ')})` : '';
    io.err(`winfix enroll: ${computerName} is not enrolled to ${formatIdentity(identity)}${has}`);
    return EXIT.problems;
  }
  io.out(`removed ${found.computerName} from ${formatIdentity(identity)}`);
  return EXIT.ok;
}

async function listCommand(enrollments: Enrollments, values: Values, io: Io) {
  const user = values.user === undefined ? undefined : identityOf(values.user);
  const all = await enrollments.list(user ?? {});
  if (values.json) {
    io.out(
      JSON.stringify(
        all.map((e) => ({ identity: who(e), ...e })),
        null,
        2,
      ),
    );
    return EXIT.ok;
  }
  if (all.length === 0) {
    io.out('(no enrollments)');
    return EXIT.ok;
  }
  const rows = [
    ['IDENTITY', 'COMPUTER', 'WORKER GROUP', 'ENROLLED BY', 'ENROLLED AT'],
    ...all.map((e) => [who(e), e.computerName, e.workerGroup, e.enrolledBy, e.enrolledAt]),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  for (const r of rows)
    io.out(
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    );
  return EXIT.ok;
}

async function importCommand(enrollments: Enrollments, plan: ImportPlan, values: Values, io: Io) {
  for (const note of plan.notes) io.err(`winfix enroll: ${note}`);
  const dryRun = values['dry-run'] ?? false;
  const by = values.by ?? defaultBy();
  const problems = [...plan.problems];
  let imported = 0;
  let unchanged = 0;
  let rejected = plan.rejected;
  const refuse = (l: ImportLine, check: EnrollmentCheck) => {
    rejected += 1;
    for (const message of obstacles(l.computerName, l.identity, check))
      problems.push({ line: l.line, message });
  };
  for (const l of plan.lines) {
    const input = { ...l.identity, computerName: l.computerName, workerGroup: l.workerGroup };
    const name = formatIdentity(l.identity);
    if (dryRun) {
      const check = await enrollments.check(input);
      if (check.computerTaken.length || check.groupTaken.length) refuse(l, check);
      else if (check.current?.workerGroup === l.workerGroup) unchanged += 1;
      else {
        imported += 1;
        io.out(
          `line ${l.line}: would ${check.current ? 'change' : 'add'} ${name} ${l.computerName} (worker group ${l.workerGroup})`,
        );
      }
      continue;
    }
    const outcome = await enrollments.place({ ...input, by });
    if (outcome.kind === 'refused') refuse(l, outcome.check);
    else if (outcome.kind === 'unchanged') unchanged += 1;
    else {
      imported += 1;
      io.out(`line ${l.line}: ${outcome.kind} ${name} ${l.computerName} (worker group ${l.workerGroup})`);
    }
  }
  problems.sort((a, b) => a.line - b.line);
  for (const p of problems) io.err(`line ${p.line}: ${p.message}`);
  const summary = `imported ${imported}, unchanged ${unchanged}, problems ${rejected}`;
  io.out(dryRun ? `dry run: ${summary.replace('imported', 'would import')}; nothing was changed` : summary);
  return rejected > 0 ? EXIT.problems : EXIT.ok;
}

/** Checks what can be checked before the database is opened; the problem, or null. */
function inputProblem(sub: string, operands: string[], values: Values): string | null {
  const identities = sub === 'add' || sub === 'remove' ? [operands[0]] : sub === 'list' ? [values.user] : [];
  for (const text of identities) {
    const identity = text === undefined ? null : parseIdentity(text);
    if (typeof identity === 'string') return identity;
  }
  if (sub !== 'add') return null;
  return computerNameProblem(operands[1] ?? '') ?? workerGroupProblem(operands[2] ?? '');
}

export async function enrollCommand(args: string[], config: Config, io: Io): Promise<number> {
  const [sub = '', ...rest] = args;
  const form = FORMS[sub];
  if (!form) {
    io.err(sub ? `winfix enroll: unknown sub-command "${sub}"\n${USAGE}` : USAGE);
    return EXIT.usage;
  }
  let values: Values;
  let operands: string[];
  try {
    const parsed = parseArgs({ args: rest, options: OPTIONS, allowPositionals: true });
    values = parsed.values;
    operands = parsed.positionals;
    const stray = Object.keys(values).filter((k) => !form.options.includes(k as keyof typeof OPTIONS));
    if (stray.length) throw new Error(`winfix enroll ${sub} takes no --${stray.join(', --')}`);
    if (operands.length !== form.operands)
      throw new Error(`winfix enroll ${sub} takes ${form.operands} argument(s), got ${operands.length}`);
    if (values.by !== undefined && values.by.trim() === '') throw new Error('--by needs a name');
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}`);
    return EXIT.usage;
  }
  const problem = inputProblem(sub, operands, values);
  if (problem) {
    io.err(`winfix enroll: ${problem}`);
    return EXIT.usage;
  }
  let plan: ImportPlan | null = null;
  if (sub === 'import') {
    const file = operands[0] as string;
    let read: ImportPlan | ImportFailure;
    try {
      read = planImport(readFileSync(file, 'utf8'));
    } catch (error) {
      read = { line: null, message: `cannot read it: ${(error as Error).message}` };
    }
    if (!('lines' in read)) {
      io.err(`winfix enroll: ${file}${read.line === null ? '' : ` line ${read.line}`}: ${read.message}`);
      io.err('winfix enroll: nothing imported');
      return EXIT.usage;
    }
    plan = read;
  }
  const storage = await openConfiguredStorage(config, io);
  if (!storage) {
    io.err('winfix enroll: WINFIX_STORAGE=memory keeps no enrollments');
    return EXIT.usage;
  }
  try {
    const enrollments = storage.enrollments;
    if (sub === 'add') return await addCommand(enrollments, operands, values, io);
    if (sub === 'remove') return await removeCommand(enrollments, operands, values, io);
    if (sub === 'list') return await listCommand(enrollments, values, io);
    return await importCommand(enrollments, plan as ImportPlan, values, io);
  } finally {
    await storage.close();
  }
}
