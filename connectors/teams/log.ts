/** Where the Teams connector reports what happened; injected so tests and `winfix serve` choose the output. */

export interface TeamsLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Writes to the process's standard error with a level prefix (the default). */
export const stderrLog: TeamsLog = {
  info: (message) => process.stderr.write(`[teams] ${message}\n`),
  warn: (message) => process.stderr.write(`[teams] warning: ${message}\n`),
  error: (message) => process.stderr.write(`[teams] error: ${message}\n`),
};
