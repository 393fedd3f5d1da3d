/**
 * The `winfix` command: the composition root that reads config and dispatches to sub-commands.
 * Each command is loaded only when it runs, so `triage` never loads restify, Bolt or a database driver.
 */
import { readConfig } from './config';
import { EXIT, type Io, processIo } from './io';

const HELP = `winfix — helpdesk bot for Windows error codes

  winfix chat [--locale ja|en|ru] [--session NAME]   talk to the bot in the terminal (/quit to leave);
                                                     the conversation is kept (WINFIX_DATA_DIR / DATABASE_URL)
  winfix triage [--locale ja|en|ru] [--json] TEXT…   explain an error and print the plan
  winfix kb check                                    validate the knowledge base
  winfix kb graph --code CODE [--context X] [--format mermaid|dot]
                                                     draw the remediation graph for a code
  winfix db migrate | db status [--json]             apply schema migrations / show database, schema, rows
  winfix audit [--since ISO|2h|7d] [--user ID] [--limit N] [--json]
                                                     print the audit log
  winfix report [--since 30d] [--json] [--html FILE] cases, resolution per code, step outcomes, remote runs
  winfix enroll add IDENTITY COMPUTER WORKER_GROUP [--by WHO] [--force]
  winfix enroll remove IDENTITY COMPUTER | list [--user IDENTITY] [--json]
  winfix enroll import FILE.csv [--dry-run]          which chat identity owns which PC (and its worker group)
  winfix package teams --bot-id GUID [--out FILE.zip] [--domain HOST]
                                                     build the Teams app package to upload
  winfix serve [--port N] [--host H]                 run the Teams bot (POST /api/messages, GET /healthz)
  winfix config check [--json]                       the effective configuration (secrets as set/unset)
                                                     and what would keep serve from starting
`;

export async function main(
  argv: string[],
  io: Io = processIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const [command, ...args] = argv;
  // Reads the configuration itself, to report a variable that cannot be read instead of failing on it.
  if (command === 'config')
    return (require('./config-command') as typeof import('./config-command')).configCommand(args, env, io);
  try {
    const config = readConfig(env);
    switch (command) {
      case 'chat':
        return await (require('./chat-command') as typeof import('./chat-command')).chatCommand(
          args,
          config,
          io,
        );
      case 'triage':
        return await (require('./triage-command') as typeof import('./triage-command')).triageCommand(
          args,
          config,
          io,
        );
      case 'kb':
        return await (require('./kb-command') as typeof import('./kb-command')).kbCommand(args, config, io);
      case 'db':
        return await (require('./db-command') as typeof import('./db-command')).dbCommand(args, config, io);
      case 'audit':
        return await (require('./audit-command') as typeof import('./audit-command')).auditCommand(
          args,
          config,
          io,
        );
      case 'report':
        return await (require('./report-command') as typeof import('./report-command')).reportCommand(
          args,
          config,
          io,
        );
      case 'enroll':
        return await (require('./enroll-command') as typeof import('./enroll-command')).enrollCommand(
          args,
          config,
          io,
        );
      case 'package':
        return await (require('./package-command') as typeof import('./package-command')).packageCommand(
          args,
          config,
          io,
        );
      case 'serve':
        return await (require('./serve-command') as typeof import('./serve-command')).serveCommand(
          args,
          config,
          io,
        );
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
