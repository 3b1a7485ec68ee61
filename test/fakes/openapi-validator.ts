import fs from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats ships CommonJS whose default export is the plugin function.
const addFormats = addFormatsModule as unknown as (ajv: Ajv, formats: string[]) => Ajv;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Validates request bodies against an OpenAPI 3.0 document's operations. OpenAPI's `nullable`
 * is rewritten into JSON Schema (`type: [..., 'null']`) so Ajv checks it exactly; formats are
 * checked where they constrain the wire value (uuid), others are accepted as annotations.
 */
export class OpenApiValidator {
  private readonly ajv: Ajv;
  private readonly spec: { paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: Json }> } }>> };
  private readonly cache = new Map<string, ValidateFunction | null>();

  constructor(specPath: string) {
    const spec = normalise(JSON.parse(fs.readFileSync(specPath, 'utf8')) as Json);
    this.spec = spec as unknown as OpenApiValidator['spec'];
    this.ajv = new Ajv({ strict: false, allErrors: false, validateFormats: true });
    addFormats(this.ajv, ['uuid', 'date-time']);
    for (const name of ['uint', 'uint8', 'uint16', 'uint32', 'uint64', 'int', 'int32', 'int64', 'float', 'double', 'partial-date-time']) {
      this.ajv.addFormat(name, true);
    }
    this.ajv.addSchema(spec as object, 'openapi.json');
  }

  /** Returns the path template of the spec that matches `path`, if any. */
  matchPath(path: string): string | undefined {
    for (const template of Object.keys(this.spec.paths)) {
      const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      if (pattern.test(path)) return template;
    }
    return undefined;
  }

  /** An error message when the body does not satisfy the operation's request schema, else undefined. */
  validateBody(method: string, template: string, body: unknown): string | undefined {
    const key = `${method.toLowerCase()} ${template}`;
    if (!this.cache.has(key)) {
      const schema = this.spec.paths[template]?.[method.toLowerCase()]?.requestBody?.content?.['application/json']?.schema;
      const ref = schema && typeof schema === 'object' && !Array.isArray(schema) && typeof schema.$ref === 'string' ? schema.$ref : undefined;
      this.cache.set(key, ref ? this.ajv.compile({ $ref: `openapi.json${ref}` }) : null);
    }
    const validate = this.cache.get(key);
    if (!validate) return undefined;
    if (validate(body)) return undefined;
    return this.ajv.errorsText(validate.errors, { dataVar: 'body' });
  }
}

function normalise(node: Json): Json {
  if (Array.isArray(node)) return node.map(normalise);
  if (node === null || typeof node !== 'object') return node;
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(node)) out[key] = normalise(value);
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (Object.keys(out).filter((k) => k !== 'description' && k !== 'default').length === 0) out.type = 'null';
    else if (Array.isArray(out.anyOf)) out.anyOf = [...out.anyOf, { type: 'null' }];
    else return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}
