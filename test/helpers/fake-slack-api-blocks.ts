/**
 * The fake Slack Web API's Block Kit checks: blocks against Slack's Block Kit reference (the block types
 * this app uses, their fields and limits), and the `blocks` argument of a call parsed and checked.
 */
import { failure, type Obj } from './fake-slack-api-records';

function text(problems: string[], where: string, value: unknown, max: number, types: string[]): void {
  const t = value as Obj | undefined;
  if (!t || !types.includes(String(t.type)) || typeof t.text !== 'string')
    problems.push(`${where}: needs a ${types.join('/')} text object`);
  else if (t.text.length === 0 || t.text.length > max)
    problems.push(`${where}: text length ${t.text.length} not in 1..${max}`);
}

function optionalText(problems: string[], where: string, value: unknown, max: number): void {
  if (value !== undefined) text(problems, where, value, max, ['plain_text']);
}

/** Checks one interactive element's action_id: 1..255 characters, unique in the message. */
function actionId(
  problems: string[],
  where: string,
  id: unknown,
  seen: Set<string>,
  required: boolean,
): void {
  if (id === undefined && !required) return;
  if (typeof id !== 'string' || id.length === 0 || id.length > 255) problems.push(`${where}: bad action_id`);
  else if (seen.has(id)) problems.push(`${where}: action_id ${id} repeated in the message`);
  else seen.add(id);
}

/** The plain-text input element (the only input element this app uses). */
function plainTextInput(problems: string[], where: string, e: Obj, seen: Set<string>): void {
  if (e.type !== 'plain_text_input') {
    problems.push(`${where}: only plain_text_input is expected`);
    return;
  }
  actionId(problems, where, e.action_id, seen, false);
  optionalText(problems, `${where}.placeholder`, e.placeholder, 150);
  if (e.initial_value !== undefined && typeof e.initial_value !== 'string')
    problems.push(`${where}: initial_value must be a string`);
  for (const flag of ['multiline', 'focus_on_load'])
    if (e[flag] !== undefined && typeof e[flag] !== 'boolean')
      problems.push(`${where}: ${flag} must be a boolean`);
  const min = e.min_length;
  const max = e.max_length;
  if (min !== undefined && (!Number.isInteger(min) || (min as number) < 0 || (min as number) > 3000))
    problems.push(`${where}: min_length must be 0..3000`);
  if (max !== undefined && (!Number.isInteger(max) || (max as number) < 1 || (max as number) > 3000))
    problems.push(`${where}: max_length must be 1..3000`);
  if (Number.isInteger(min) && Number.isInteger(max) && (min as number) > (max as number))
    problems.push(`${where}: min_length above max_length`);
}

/** Checks blocks against Slack's Block Kit reference (the block types this app uses). */
export function blockProblems(blocks: unknown): string[] {
  const problems: string[] = [];
  if (!Array.isArray(blocks)) return ['blocks is not an array'];
  if (blocks.length > 50) problems.push(`${blocks.length} blocks (max 50)`);
  const actionIds = new Set<string>();
  const blockIds = new Set<string>();
  blocks.forEach((raw, i) => {
    const b = raw as Obj;
    const at = `blocks[${i}] (${String(b.type)})`;
    if (b.block_id !== undefined) {
      if (typeof b.block_id !== 'string' || b.block_id.length > 255 || blockIds.has(b.block_id))
        problems.push(`${at}: bad or repeated block_id`);
      blockIds.add(String(b.block_id));
    }
    switch (b.type) {
      case 'section': {
        if (b.text === undefined && b.fields === undefined) problems.push(`${at}: needs text or fields`);
        if (b.text !== undefined) text(problems, at, b.text, 3000, ['mrkdwn', 'plain_text']);
        if (b.fields !== undefined) {
          const fields = b.fields as unknown[];
          if (!Array.isArray(fields) || fields.length === 0 || fields.length > 10)
            problems.push(`${at}: fields must be 1..10`);
          else
            for (const [j, f] of fields.entries())
              text(problems, `${at}.fields[${j}]`, f, 2000, ['mrkdwn', 'plain_text']);
        }
        break;
      }
      case 'header':
        text(problems, at, b.text, 150, ['plain_text']);
        break;
      case 'context': {
        const elements = b.elements as unknown[];
        if (!Array.isArray(elements) || elements.length === 0 || elements.length > 10)
          problems.push(`${at}: elements must be 1..10`);
        else
          for (const [j, e] of elements.entries())
            text(problems, `${at}.elements[${j}]`, e, 3000, ['mrkdwn', 'plain_text']);
        break;
      }
      case 'actions': {
        const elements = b.elements as Obj[];
        if (!Array.isArray(elements) || elements.length === 0 || elements.length > 25)
          problems.push(`${at}: elements must be 1..25`);
        for (const [j, e] of (elements ?? []).entries()) {
          const where = `${at}.elements[${j}]`;
          if (e.type !== 'button') problems.push(`${where}: only buttons are expected`);
          text(problems, where, e.text, 75, ['plain_text']);
          actionId(problems, where, e.action_id, actionIds, true);
          if (e.value !== undefined && (typeof e.value !== 'string' || e.value.length > 2000))
            problems.push(`${where}: value must be a string of at most 2000 characters`);
          if (e.style !== undefined && e.style !== 'primary' && e.style !== 'danger')
            problems.push(`${where}: style must be primary or danger`);
        }
        break;
      }
      case 'input': {
        text(problems, `${at}.label`, b.label, 2000, ['plain_text']);
        optionalText(problems, `${at}.hint`, b.hint, 2000);
        for (const flag of ['optional', 'dispatch_action'])
          if (b[flag] !== undefined && typeof b[flag] !== 'boolean')
            problems.push(`${at}: ${flag} must be a boolean`);
        const element = b.element as Obj | undefined;
        if (!element || typeof element !== 'object') problems.push(`${at}: needs an element`);
        else plainTextInput(problems, `${at}.element`, element, actionIds);
        break;
      }
      case 'rich_text': {
        const elements = b.elements as Obj[];
        const kinds = ['rich_text_section', 'rich_text_list', 'rich_text_preformatted', 'rich_text_quote'];
        if (!Array.isArray(elements) || elements.length === 0) problems.push(`${at}: needs elements`);
        for (const e of elements ?? [])
          if (!kinds.includes(String(e.type))) problems.push(`${at}: bad element`);
        break;
      }
      default:
        problems.push(`${at}: unexpected block type`);
    }
  });
  return problems;
}

/**
 * The `blocks` argument of a `method` call (a JSON string or an array), parsed and checked; Slack's error
 * answer (the problems recorded) when they are not JSON or break the Block Kit reference.
 */
export function parseBlocks(problems: string[], method: string, params: Obj): Obj[] | Obj {
  if (params.blocks === undefined) return [];
  let blocks: unknown = params.blocks;
  if (typeof blocks === 'string') {
    try {
      blocks = JSON.parse(blocks);
    } catch {
      return failure(problems, method, 'invalid_blocks_format', 'blocks is not JSON');
    }
  }
  const found = blockProblems(blocks);
  if (found.length > 0) {
    problems.push(...found.map((p) => `${method}: ${p}`));
    return { ok: false, error: 'invalid_blocks' };
  }
  return blocks as Obj[];
}
