/** Where a command writes; injected so tests can capture output without spawning a process. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

/** Exit codes: 0 ok, 1 the command ran and found problems, 2 bad usage or input. */
export const EXIT = { ok: 0, problems: 1, usage: 2 } as const;
