/** The `winfix` command: the composition root that reads config and dispatches to sub-commands. */
import { chatCommand } from './chat-command';
import { readConfig } from './config';
import { EXIT, type Io, processIo } from './io';
import { kbCommand } from './kb-command';
import { triageCommand } from './triage-command';

const HELP = `winfix — helpdesk bot for Windows error codes

  winfix chat [--locale ja|en|ru]                    talk to the bot in the terminal (/quit to leave)
  winfix triage [--locale ja|en|ru] [--json] TEXT…   explain an error and print the plan
  winfix kb check                                    validate the knowledge base
  winfix kb graph --code CODE [--context X] [--format mermaid|dot]
                                                     draw the remediation graph for a code
`;

export async function main(
  argv: string[],
  io: Io = processIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const [command, ...args] = argv;
  try {
    const config = readConfig(env);
    switch (command) {
      case 'chat':
        return await chatCommand(args, config, io);
      case 'triage':
        return await triageCommand(args, config, io);
      case 'kb':
        return await kbCommand(args, config, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(HELP);
        return command === undefined ? EXIT.usage : EXIT.ok;
      default:
        io.err(`winfix: unknown command "${command}"\n\n${HELP}`);
        return EXIT.usage;
    }
  } catch (error) {
    io.err(`winfix: ${(error as Error).message}`);
    return EXIT.problems;
  }
}
