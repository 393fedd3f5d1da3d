/**
 * Ticket ids an employee writes ("INC0012345", "REQ0004567", "RITM0012345", "チケット INC-1234"):
 * ServiceNow-style prefixes (incident, request, requested item, catalog task, change, problem, case)
 * followed by digits. Understanding already refuses to read these as error codes
 * (rules/understand/code-guards.ts); here they are kept for the technician's hand-off summary.
 */

const TICKET = /(?<![\p{L}\p{N}])(INC|REQ|RITM|SCTASK|TASK|CHG|PRB|CS)[-_ ]?(\d{4,12})(?![\p{L}\p{N}])/giu;

/** At most this many ticket ids are kept per conversation. */
export const MAX_TICKETS = 10;

/** The ticket ids in a text, upper-case, without a separator ("inc-0012345" → "INC0012345"), in order. */
export function ticketIds(text: string): string[] {
  const found: string[] = [];
  for (const m of text.normalize('NFKC').matchAll(TICKET)) {
    const id = `${(m[1] ?? '').toUpperCase()}${m[2] ?? ''}`;
    if (!found.includes(id)) found.push(id);
  }
  return found;
}

/** `known` with the ticket ids of `text` added (oldest first, capped). */
export function addTicketIds(known: readonly string[], text: string): string[] {
  const all = [...known];
  for (const id of ticketIds(text)) if (!all.includes(id)) all.push(id);
  return all.slice(-MAX_TICKETS);
}
