/**
 * The chat identity an enrollment belongs to, as people write it: `teams:<AAD object id>`,
 * `slack:<user id>` or a bare e-mail address (platform "email", matched to the e-mail the chat
 * platform gives for the user).
 */

export interface Identity {
  /** "teams", "slack" or "email". */
  platform: string;
  /** Teams: the AAD (Entra) object id, lowercase; Slack: the user id; e-mail: the address, lowercase. */
  userId: string;
}

export const IDENTITY_FORMS = 'teams:<AAD object id>, slack:<user id> or an e-mail address';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SLACK_USER = /^[UW][A-Z0-9]{6,20}$/;
/** Deliberately simple: one @, no spaces, a dot in the domain, nothing that would split a CSV field. */
const EMAIL = /^[^\s@,;:<>()[\]"]+@[^\s@,;:<>()[\]"]+\.[^\s@,;:<>()[\]".]+$/;

/** Reads an identity; a string saying what is wrong when it is not one. */
export function parseIdentity(text: string): Identity | string {
  const value = text.trim();
  const colon = value.indexOf(':');
  const prefix = colon > 0 ? value.slice(0, colon).toLowerCase() : '';
  const rest = value.slice(colon + 1);
  if (prefix === 'teams') {
    if (!GUID.test(rest))
      return `Teams user "${value}": expected teams:<AAD object id>, a GUID like 2b7e1516-28ae-4d2a-a6f7-15880c3c4f3c`;
    return { platform: 'teams', userId: rest.toLowerCase() };
  }
  if (prefix === 'slack') {
    if (!SLACK_USER.test(rest))
      return `Slack user "${value}": expected slack:<user id>, U or W then upper-case letters and digits, like U0123ABCD`;
    return { platform: 'slack', userId: rest };
  }
  if (colon < 0 && EMAIL.test(value)) return { platform: 'email', userId: value.toLowerCase() };
  return `unknown user "${value}": expected ${IDENTITY_FORMS}`;
}

/** How an identity is written back: `teams:…`, `slack:…`, or the bare e-mail address. */
export function formatIdentity(identity: Identity): string {
  return identity.platform === 'email' ? identity.userId : `${identity.platform}:${identity.userId}`;
}
