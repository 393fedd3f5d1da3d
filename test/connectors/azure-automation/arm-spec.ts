/**
 * Azure Automation's job API as data: shared/specs/…/2024-10-23/job.json with common/v1/definitions.json
 * and the ARM common types, compiled with ajv, for the fake ARM (test/helpers/fake-arm.ts) to check
 * requests and its own answers. AutoRest's extensions are honoured: `x-nullable`, and open enums
 * (`x-ms-enum.modelAsString`); the other `x-*` annotations are inert keywords.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

type Json = Record<string, unknown>;

const SPECS = path.resolve(__dirname, '../../../../shared/specs/azure/specification');
export const JOB_SPEC = path.join(
  SPECS,
  'automation/resource-manager/Microsoft.Automation/Automation/stable/2024-10-23/job.json',
);
const DEFINITIONS = path.join(path.dirname(JOB_SPEC), 'common/v1/definitions.json');
const ARM_TYPES = path.join(SPECS, 'common-types/resource-management/v5/types.json');
export const EXAMPLES = path.join(path.dirname(JOB_SPEC), 'examples/job');

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Json;
const url = (file: string) => pathToFileURL(file).href;

/**
 * Swagger 2.0 / AutoRest → JSON Schema: `x-nullable: true` → `type: [t, "null"]`; an enum with
 * `x-ms-enum.modelAsString: true` is open (other values may come: job status is one), so its `enum` goes.
 */
function honourExtensions(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(honourExtensions);
  if (typeof node !== 'object' || node === null) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) out[key] = honourExtensions(value);
  if (out['x-nullable'] === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  if ((out['x-ms-enum'] as Json | undefined)?.modelAsString === true) delete out.enum;
  return out;
}

export interface Operation {
  id: string;
  method: string;
  segments: string[];
  parameters: Json[];
  responses: Json;
}

export class ArmSpec {
  readonly version: string;
  readonly operations: Operation[] = [];
  // unicodeRegExp off: the spec's patterns are .NET-style (`[-\w\._]` is not valid with the u flag).
  private readonly ajv = new Ajv({ allErrors: true, strictTypes: false, unicodeRegExp: false });
  private readonly parameterValidators = new Map<string, ValidateFunction>();

  constructor() {
    addFormats(this.ajv);
    this.ajv.addFormat('arm-id', /^\//);
    this.ajv.addVocabulary(['x-nullable', 'x-ms-enum', 'x-ms-client-flatten', 'x-ms-identifiers']);
    this.ajv.addVocabulary(['x-ms-mutability', 'x-ms-azure-resource']);
    const job = readJson(JOB_SPEC);
    this.version = String((job.info as Json).version);
    const definitions = honourExtensions(job.definitions) as Record<string, Json>;
    // The spec's own examples answer null here although the spec does not say x-nullable.
    const nullable = (def: string, prop: string) => {
      const p = (definitions[def]?.properties as Record<string, Json> | undefined)?.[prop];
      if (p) p.type = [p.type, 'null'];
    };
    nullable('JobProperties', 'exception');
    nullable('JobStreamListResult', 'nextLink');
    this.ajv.addSchema({ $id: url(JOB_SPEC), definitions });
    this.ajv.addSchema({
      $id: url(DEFINITIONS),
      definitions: honourExtensions(readJson(DEFINITIONS).definitions),
    });
    this.ajv.addSchema({
      $id: url(ARM_TYPES),
      definitions: honourExtensions(readJson(ARM_TYPES).definitions),
    });
    const shared = (readJson(DEFINITIONS).parameters ?? {}) as Record<string, Json>;
    for (const [template, methods] of Object.entries(job.paths as Record<string, Record<string, Json>>))
      for (const [method, op] of Object.entries(methods))
        this.operations.push({
          id: String(op.operationId),
          method: method.toUpperCase(),
          segments: template.split('/').slice(1),
          parameters: (op.parameters as Json[]).map((p) =>
            typeof p.$ref === 'string' ? (shared[p.$ref.split('/').pop() ?? ''] as Json) : p,
          ),
          responses: op.responses as Json,
        });
  }

  /** The operation and path parameters for a method and a path, or null. */
  match(method: string, pathname: string): { op: Operation; params: Record<string, string> } | null {
    const parts = pathname.split('/').slice(1);
    for (const op of this.operations) {
      if (op.method !== method || op.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      const fits = op.segments.every((seg, i) => {
        const part = parts[i] ?? '';
        const name = /^\{(.+)\}$/.exec(seg)?.[1];
        if (name) params[name] = decodeURIComponent(part);
        return name ? part.length > 0 : seg === part;
      });
      if (fits) return { op, params };
    }
    return null;
  }

  /** Problems with one parameter value against its declaration (type, pattern, lengths). */
  parameterProblems(param: Json, value: string): string[] {
    const schema: Json = {};
    for (const key of ['type', 'pattern', 'minLength', 'maxLength', 'enum'])
      if (param[key] !== undefined) schema[key] = param[key];
    const key = JSON.stringify(schema);
    let validate = this.parameterValidators.get(key);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.parameterValidators.set(key, validate);
    }
    const name = String(param.name);
    return validate(value) ? [] : (validate.errors ?? []).map((e) => `${name} "${value}" ${e.message}`);
  }

  validator(ref: string): ValidateFunction {
    const [file, pointer] = ref.split('#');
    const base = file ? url(path.resolve(path.dirname(JOB_SPEC), file)) : url(JOB_SPEC);
    const validate = this.ajv.getSchema(`${base}#${pointer}`);
    if (!validate) throw new Error(`no schema ${ref}`);
    return validate;
  }

  /** Problems with a value against a schema reference of job.json (e.g. "#/definitions/Job"). */
  check(ref: string, value: unknown): string[] {
    const validate = this.validator(ref);
    return validate(value) ? [] : (validate.errors ?? []).map((e) => `${ref}${e.instancePath} ${e.message}`);
  }
}

let spec: ArmSpec | null = null;
export const armSpec = (): ArmSpec => {
  spec ??= new ArmSpec();
  return spec;
};
