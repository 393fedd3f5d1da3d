/** Errors raised by the rules layer. Each has a stable string code (`winfix_*`) and keeps its cause. */

export abstract class WinfixRulesError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export interface KbProblem {
  /** File (relative to the KB folder) or area, e.g. "steps/update.json" or "graph". */
  where: string;
  message: string;
}

/** The knowledge base does not validate; `problems` lists every finding. */
export class KbInvalidError extends WinfixRulesError {
  readonly code = 'winfix_kb_invalid';
  constructor(readonly problems: KbProblem[]) {
    super(
      `knowledge base is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems
          .slice(0, 20)
          .map((p) => `  ${p.where}: ${p.message}`)
          .join('\n'),
    );
  }
}

/** A KB file could not be read or is not JSON. */
export class KbReadError extends WinfixRulesError {
  readonly code = 'winfix_kb_read';
}

/** Input that is not a 32-bit code (HRESULT decoding). */
export class InvalidHresultError extends WinfixRulesError {
  readonly code = 'winfix_hresult_invalid';
}

export const RULES_ERROR_CLASSES = [KbInvalidError, KbReadError, InvalidHresultError] as const;
