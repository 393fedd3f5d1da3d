/** The facts the planner's rules may use. Rule conditions naming any other fact fail `kb check`. */
import type { Clue, Context, OsFamily, Tried } from '../vocabulary';

export interface PlanFacts {
  /** The error code being worked on ("0x80070002"), or null when the user gave none. */
  code: string | null;
  /** A setup extend code ("0x20007"), or null. */
  subcode: string | null;
  context: Context | null;
  osFamily: OsFamily | null;
  /** Major build number (22631), or null. */
  osBuild: number | null;
  kb: string[];
  /** What the user said they already did (rules skip those steps). */
  tried?: Tried[];
  /** Clues in what the user wrote (rules promote the steps they point at). */
  clues?: Clue[];
  /** From on-PC diagnostics; undefined when not measured (conditions on it are then false). */
  freeDiskGb?: number;
  clockSkewMinutes?: number;
  /** Lowercase service names whose start type is Disabled. */
  disabledServices?: string[];
  pendingReboot?: boolean;
  thirdPartyAv?: boolean;
  /** What earlier steps revealed, as "stepId:revealId". */
  revealed?: string[];
}

export const FACT_NAMES: readonly (keyof PlanFacts)[] = [
  'code',
  'subcode',
  'context',
  'osFamily',
  'osBuild',
  'kb',
  'tried',
  'clues',
  'freeDiskGb',
  'clockSkewMinutes',
  'disabledServices',
  'pendingReboot',
  'thirdPartyAv',
  'revealed',
];
