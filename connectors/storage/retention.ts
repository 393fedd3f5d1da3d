/** How long rows that are only kept for a while (ticket jobs, card messages) may be configured to stay. */

/** The longest retention accepted, in days (ten years). */
export const MAX_RETENTION_DAYS = 3650;

/** The whole number of days `raw` says, 1–3650; null when it says anything else. */
export function retentionDaysOf(raw: string): number | null {
  const days = Number(raw);
  return /^\d{1,5}$/.test(raw) && days >= 1 && days <= MAX_RETENTION_DAYS ? days : null;
}

/** The sentence that refuses a retention setting `name` set to `raw`. */
export function retentionProblem(name: string, raw: string): string {
  return `${name} must be a whole number of days, 1–${MAX_RETENTION_DAYS} (got "${raw}")`;
}
