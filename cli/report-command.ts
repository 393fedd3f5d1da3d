/** `winfix report [--since 30d] [--json] [--html FILE]`: what the stored cases, steps and remote runs say. */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Report } from '../connectors/storage/report-queries';
import { parseSince } from './audit-command';
import type { Config } from './config';
import { EXIT, type Io } from './io';
import { openConfiguredStorage } from './open-storage';

const USAGE = 'usage: winfix report [--since ISO|30m|2h|7d|1w] [--json] [--html FILE]';
const pct = (x: number): string => `${Math.round(x * 100)}%`;

/** The report as plain text, one section per question a helpdesk lead asks. */
export function reportText(r: Report): string {
  const lines = [
    `Since ${r.since}`,
    `Cases: ${r.cases.opened} closed — resolved by the bot ${r.cases.resolved}, handed off ${r.cases.handedOff}, abandoned ${r.cases.abandoned}`,
    '',
    'Per error code and context: cases, resolved, rate, median steps to resolution',
  ];
  for (const c of r.codes)
    lines.push(
      `  ${c.code ?? '(no code)'} ${c.context ?? '-'}  ${c.cases}  ${c.resolved}  ${pct(c.resolutionRate)}  ${c.medianSteps ?? '-'}`,
    );
  if (r.codes.length === 0) lines.push('  (no cases)');
  lines.push('', 'Per step: shown, fixed it, didn’t help, skipped');
  for (const s of r.steps)
    lines.push(
      `  ${s.code ?? '(no code)'} ${s.stepId}  ${s.shown}  ${s.fixed}  ${s.didntHelp}  ${s.skipped}`,
    );
  if (r.steps.length === 0) lines.push('  (no steps)');
  const rr = r.remoteRuns;
  lines.push(
    '',
    `Remote runs: requested ${rr.requested}, approved ${rr.approved}, rejected ${rr.rejected}, expired ${rr.expired}, succeeded ${rr.succeeded}, failed ${rr.failed}`,
    '',
    'Per platform: cases, resolved',
  );
  for (const p of r.platforms) lines.push(`  ${p.platform}  ${p.cases}  ${p.resolved}`);
  if (r.platforms.length === 0) lines.push('  (no cases)');
  const t = r.tickets;
  lines.push(
    '',
    `Tickets on hand-off: opened ${t.opened}, notes added ${t.noted}, given up ${t.failed}, waiting ${t.waiting}`,
  );
  for (const x of t.recent)
    lines.push(`  ${x.number}  ${x.system}  ${x.code ?? '(no code)'}  ${x.conversationKey}  ${x.openedAt}`);
  return lines.join('\n');
}

export async function reportCommand(
  args: string[],
  config: Config,
  io: Io,
  now = new Date(),
): Promise<number> {
  let values: { since?: string; json?: boolean; html?: string };
  try {
    values = parseArgs({
      args,
      options: { since: { type: 'string' }, json: { type: 'boolean' }, html: { type: 'string' } },
    }).values;
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}`);
    return EXIT.usage;
  }
  const since = parseSince(values.since ?? '30d', now);
  if (since === null) {
    io.err(
      `winfix report: --since takes an ISO date/time or 30m, 2h, 7d, 1w (got "${values.since}")\n${USAGE}`,
    );
    return EXIT.usage;
  }
  const storage = await openConfiguredStorage(config, io);
  if (!storage) {
    io.err('winfix report: WINFIX_STORAGE=memory keeps no cases to report on');
    return EXIT.usage;
  }
  try {
    const { buildReport } = await import('../connectors/storage/report-queries');
    const report = await buildReport(storage.db, since);
    if (values.html !== undefined) {
      const { reportPage } = await import('../connectors/report-html/report-page');
      writeFileSync(values.html, reportPage(report));
      io.err(`winfix report: wrote ${values.html}`);
    }
    io.out(values.json ? JSON.stringify(report, null, 2) : reportText(report));
    return EXIT.ok;
  } finally {
    await storage.close();
  }
}
