/**
 * How much of a message is analysed. Understanding reads the first MAX_ANALYSED_CHARS characters of a
 * message (a pasted log can be megabytes); the rest is ignored and the understanding says it was
 * `truncated`, so the bot can tell the user that a long paste was cut.
 */

/** Characters of a message that are analysed (of the raw text, and again after NFKC, which can grow it). */
export const MAX_ANALYSED_CHARS = 8000;

export interface Capped {
  text: string;
  truncated: boolean;
}

/** The first `max` UTF-16 units of `text`, never ending in half a surrogate pair. */
export function capText(text: string, max: number = MAX_ANALYSED_CHARS): Capped {
  if (text.length <= max) return { text, truncated: false };
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return { text: text.slice(0, end), truncated: true };
}
