/**
 * Reading an enrollment CSV (`identity,computer,worker_group`, columns in any order) into the lines to
 * apply and the problems to report, before the database is asked anything. Pure: no I/O.
 */
import { formatIdentity, type Identity, parseIdentity } from '../connectors/storage/enrollment-identity';
import { computerKey, computerNameProblem, workerGroupProblem } from '../connectors/storage/enrollments';
import { type CsvRecord, parseCsv } from './csv';

export const COLUMNS = ['identity', 'computer', 'worker_group'] as const;

export interface ImportLine {
  line: number;
  identity: Identity;
  computerName: string;
  workerGroup: string;
}

export interface LineProblem {
  line: number;
  message: string;
}

export interface ImportPlan {
  /** Lines that passed every check of the file itself, in file order. */
  lines: ImportLine[];
  /** Every problem, with its line; a line may have several. */
  problems: LineProblem[];
  /** How many data lines are not applied because of a problem (theirs or a clash with theirs). */
  rejected: number;
  /** Said once: columns the import does not read. */
  notes: string[];
}

/** The file cannot be read as an enrollment list at all (syntax, header): nothing is applied. */
export interface ImportFailure {
  line: number | null;
  message: string;
}

function readHeader(header: CsvRecord): { index: Record<string, number>; notes: string[] } | ImportFailure {
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const index: Record<string, number> = {};
  const notes: string[] = [];
  for (const [i, name] of names.entries()) {
    if ((COLUMNS as readonly string[]).includes(name)) {
      if (index[name] !== undefined)
        return { line: header.line, message: `the header names the column "${name}" twice` };
      index[name] = i;
    } else notes.push(name ? `"${header.fields[i]?.trim()}"` : `column ${i + 1} (no name)`);
  }
  const missing = COLUMNS.filter((c) => index[c] === undefined);
  if (missing.length > 0)
    return {
      line: header.line,
      message: `the header must name the columns ${COLUMNS.join(', ')} (missing: ${missing.join(', ')}; found: ${header.fields.join(',')})`,
    };
  return {
    index,
    notes: notes.length ? [`ignoring column${notes.length > 1 ? 's' : ''} ${notes.join(', ')}`] : [],
  };
}

/** Checks one data line on its own: identity, computer name, worker group. */
function readLine(record: CsvRecord, index: Record<string, number>, width: number): ImportLine | string[] {
  if (record.fields.length !== width)
    return [`expected ${width} fields as in the header, found ${record.fields.length}`];
  const field = (name: string) => (record.fields[index[name] as number] ?? '').trim();
  const identity = parseIdentity(field('identity'));
  const computerName = field('computer');
  const workerGroup = field('worker_group');
  const problems = [
    typeof identity === 'string' ? identity : null,
    computerNameProblem(computerName),
    workerGroupProblem(workerGroup),
  ].filter((p): p is string => p !== null);
  if (typeof identity === 'string' || problems.length > 0) return problems;
  return { line: record.line, identity, computerName, workerGroup };
}

/**
 * Finds the lines that clash with an earlier line: the same PC for two users, the same user and PC with
 * two worker groups, one worker group for two PCs (neither line is applied: which one is right is not
 * known), or a line repeated word for word (the first is applied).
 */
function findClashes(lines: ImportLine[], problems: LineProblem[]): Set<ImportLine> {
  const held = new Set<ImportLine>();
  const byComputer = new Map<string, ImportLine>();
  const byGroup = new Map<string, ImportLine>();
  for (const l of lines) {
    const who = formatIdentity(l.identity);
    const first = byComputer.get(computerKey(l.computerName));
    const sameUser = first && formatIdentity(first.identity) === who;
    if (first && sameUser && first.computerName === l.computerName && first.workerGroup === l.workerGroup) {
      problems.push({ line: l.line, message: `duplicate of line ${first.line}` });
      held.add(l);
      continue;
    }
    if (first) {
      const as = first.computerName === l.computerName ? '' : ` as ${first.computerName}`;
      const detail = sameUser
        ? `with worker group ${first.workerGroup}`
        : `for ${formatIdentity(first.identity)}`;
      problems.push({
        line: l.line,
        message: `${l.computerName} is already listed on line ${first.line}${as} ${detail}; neither line is applied`,
      });
      held.add(l).add(first);
      continue;
    }
    byComputer.set(computerKey(l.computerName), l);
    const group = byGroup.get(l.workerGroup.toLowerCase());
    if (group) {
      problems.push({
        line: l.line,
        message: `worker group ${l.workerGroup} is already listed on line ${group.line} for ${group.computerName} (one group per PC); neither line is applied`,
      });
      held.add(l).add(group);
      continue;
    }
    byGroup.set(l.workerGroup.toLowerCase(), l);
  }
  return held;
}

export function planImport(text: string): ImportPlan | ImportFailure {
  const csv = parseCsv(text, { comments: true, skipBlankLines: true });
  if (!csv.ok) return { line: csv.line, message: csv.message };
  const [header, ...data] = csv.records;
  if (!header) return { line: null, message: `no header: the first line must be ${COLUMNS.join(',')}` };
  const head = readHeader(header);
  if ('message' in head) return head;
  const problems: LineProblem[] = [];
  const valid: ImportLine[] = [];
  let invalid = 0;
  for (const record of data) {
    if (record.fields.every((f) => f.trim() === '')) continue;
    const read = readLine(record, head.index, header.fields.length);
    if (Array.isArray(read)) {
      invalid += 1;
      for (const message of read) problems.push({ line: record.line, message });
    } else valid.push(read);
  }
  const held = findClashes(valid, problems);
  problems.sort((a, b) => a.line - b.line);
  return {
    lines: valid.filter((l) => !held.has(l)),
    problems,
    rejected: invalid + held.size,
    notes: head.notes,
  };
}
