/** Runs `winfix` in-process with captured output, or as a real child process. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { main } from '../../cli/main';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export async function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  let out = '';
  let err = '';
  const line = (t: string) => (t.endsWith('\n') ? t : `${t}\n`);
  const code = await main(args, { out: (t) => (out += line(t)), err: (t) => (err += line(t)) }, env);
  return { code, out, err };
}

export const BIN = path.resolve(__dirname, '../../bin/winfix.js');

/**
 * Runs `winfix` as a child process. Unless `env` says otherwise it keeps nothing between runs
 * (WINFIX_STORAGE=memory): a test must never write the checkout's ./data folder. It also runs as a
 * company whose employees are administrators (WINFIX_EMPLOYEES_ARE_ADMINS=yes), so a conversation
 * goes straight to the steps; the default ("ask") is tested where it is the subject.
 */
export function spawnCli(
  args: string[],
  input?: string,
  env: NodeJS.ProcessEnv = { ...process.env, WINFIX_STORAGE: 'memory', WINFIX_EMPLOYEES_ARE_ADMINS: 'yes' },
): CliRun {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    input,
    env,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: result.status ?? -1, out: result.stdout, err: result.stderr };
}
