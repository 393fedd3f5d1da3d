import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { chatCommand } from '../../../cli/chat-command';
import { readConfig } from '../../../cli/config';
import { spawnCli } from '../../helpers/run-cli';

/** Runs `winfix chat` in-process at a (pretend) terminal with the given lines; returns what it printed. */
async function atTerminal(args: string[], lines: string[]): Promise<{ out: string[]; prompts: number }> {
  const input = Object.assign(new PassThrough(), { isTTY: true });
  const out: string[] = [];
  let prompts = 0;
  const done = chatCommand(
    args,
    readConfig({ WINFIX_STORAGE: 'memory' }),
    { out: (text) => out.push(text), err: (text) => out.push(`ERR ${text}`) },
    input,
    () => {
      prompts++;
    },
  );
  input.end(lines.map((l) => `${l}\n`).join(''));
  assert.equal(await done, 0);
  return { out, prompts };
}

describe('winfix chat at a terminal: the greeting on start', () => {
  it('greets with one line and an example before the first prompt', async () => {
    const { out, prompts } = await atTerminal(['--locale', 'en'], []);
    assert.equal(out.length, 1, out.join('\n'));
    const [welcome = ''] = out;
    assert.equal(welcome.trim().split('\n').length, 1, 'one line');
    assert.match(welcome, /winfix/);
    assert.match(welcome, /for example: .*0x80070002/, 'with an example');
    assert.equal(prompts, 1);
  });

  it('greets in the chosen language', async () => {
    const ja = (await atTerminal(['--locale', 'ja'], [])).out.join('\n');
    assert.match(ja, /例: Windows Update で 0x80070002 が出ます/);
    const ru = (await atTerminal(['--locale', 'ru'], [])).out.join('\n');
    assert.match(ru, /например: .*0x80070002/);
  });

  it('then answers what is typed', async () => {
    const { out } = await atTerminal(['--locale', 'en'], ['0x80070002']);
    assert.match(out.join('\n'), /Where did the error appear\?/);
  });

  it('prints no greeting into piped output', () => {
    const run = spawnCli(['chat', '--locale', 'en'], '');
    assert.equal(run.code, 0, run.err);
    assert.equal(run.out.trim(), '');
  });
});
