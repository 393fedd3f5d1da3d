/** A ticket job as a hand-off writes it, for outbox tests that need rows rather than conversations. */
import type { TicketDescription, TicketJobDraft, TicketSystemKind } from '../../bot';

export function ticketJobDraft(id: string, system: TicketSystemKind = 'servicenow'): TicketJobDraft {
  const at = '2026-03-02T09:00:00.000Z';
  const ticket: TicketDescription = {
    caseId: `case-${id}`,
    handoff: 1,
    conversationKey: 'teams:outbox-rows',
    reason: 'user-asked',
    title: '0x80070002',
    summary: 'summary',
    locale: 'en',
    employeeLocale: 'en',
    caller: { platform: 'teams', userId: 'u1', name: null, email: null, directoryId: null },
    category: null,
    code: '0x80070002',
    codeName: null,
    otherCodes: [],
    os: null,
    computers: [],
    tried: [],
    next: [],
    userWords: [],
    mentionedTickets: [],
    startedAt: at,
    handedOffAt: at,
    remoteRuns: [],
  };
  return { id, caseId: ticket.caseId, conversationKey: ticket.conversationKey, kind: 'open', system, ticket };
}
