import { readConfig } from '../../cli/config';
import { type ServeOptions, serveCommand } from '../../cli/serve-command';

/** Runs `winfix serve` in-process on port 0 with the given environment; resolves once listening. */
interface Running {
  url: string;
  log: string[];
  /** Stops the server; resolves with the exit code. */
  stop(): Promise<number>;
}

export async function startServe(
  env: NodeJS.ProcessEnv,
  options: Omit<ServeOptions, 'signal' | 'onListening'> = {},
): Promise<Running> {
  const controller = new AbortController();
  const log: string[] = [];
  let listening: (url: string) => void = () => {};
  const started = new Promise<string>((resolve) => {
    listening = resolve;
  });
  const done = serveCommand(
    [],
    // Employees are administrators unless the test says otherwise: conversations go straight to the steps.
    readConfig({ PORT: '0', WINFIX_EMPLOYEES_ARE_ADMINS: 'yes', ...env }),
    { out: () => {}, err: (t) => log.push(t) },
    {
      ...options,
      signal: controller.signal,
      onListening: (url) => listening(url),
    },
  );
  const url = await Promise.race([
    started,
    done.then((code) => Promise.reject(new Error(`exit ${code}: ${log}`))),
  ]);
  return {
    url,
    log,
    stop: () => {
      controller.abort();
      return done;
    },
  };
}
