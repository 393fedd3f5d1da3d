/**
 * Checks activities against the Bot Connector API's own Swagger 2.0 definitions
 * (shared/specs/botframework/botframework-channel.json), compiled with ajv. The spec's `x-nullable`
 * is honoured (those fields may be null); its other `x-*` annotations are known, inert keywords.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

export const BOT_FRAMEWORK_SPEC = path.resolve(
  __dirname,
  '../../../shared/specs/botframework/botframework-channel.json',
);

type Json = Record<string, unknown>;

/** Swagger 2.0's `x-nullable: true` → JSON Schema's `type: [t, "null"]`. */
function honourNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(honourNullable);
  if (typeof node !== 'object' || node === null) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) out[key] = honourNullable(value);
  if (out['x-nullable'] === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  return out;
}

let compiled: Map<string, ValidateFunction> | null = null;

function validator(definition: string): ValidateFunction {
  if (!compiled) {
    const spec = JSON.parse(readFileSync(BOT_FRAMEWORK_SPEC, 'utf8')) as Json;
    const ajv = new Ajv({ allErrors: true, strictTypes: false });
    addFormats(ajv);
    ajv.addVocabulary(['x-ms-enum', 'x-nullable', 'x-omitempty']);
    // Only `definitions`: their `#/definitions/…` refs resolve against this document's root.
    ajv.addSchema({ $id: 'botframework', definitions: honourNullable(spec.definitions) as Json });
    compiled = new Map();
    for (const name of ['Activity', 'ConversationReference'])
      compiled.set(name, ajv.getSchema(`botframework#/definitions/${name}`) as ValidateFunction);
  }
  const validate = compiled.get(definition);
  if (!validate) throw new Error(`no compiled definition ${definition}`);
  return validate;
}

/** Problems with a value against a definition of the spec (empty when it conforms). */
export function checkAgainstSpec(definition: 'Activity' | 'ConversationReference', value: unknown): string[] {
  const validate = validator(definition);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${definition}${e.instancePath} ${e.message ?? 'is invalid'}`);
}
