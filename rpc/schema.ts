/**
 * The JSON-Schema subset that describes RPC params and results, and its validator. One schema
 * serves both purposes: the dispatcher validates params with it and the OpenRPC document
 * publishes it, so the documentation cannot drift from what is enforced.
 *
 * The validator recurses over the *schema*, never over the data beyond what the schema
 * describes, so its depth is bounded by our own schemas whatever a client sends; `pattern` is
 * checked after `maxLength`, so a regex never runs over an unbounded string.
 */

/** JSON value types of the subset ("integer" = a safe integer; larger ones travel as strings). */
export type SchemaType = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' | 'null';

/** The supported JSON-Schema keywords (draft 7 meaning); anything else is rejected at registration. */
export interface Schema {
  type?: SchemaType;
  title?: string;
  description?: string;
  enum?: ReadonlyArray<string | number | boolean | null>;
  const?: string | number | boolean | null;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  properties?: Readonly<Record<string, Schema>>;
  required?: readonly string[];
  additionalProperties?: boolean | Schema;
  maxProperties?: number;
  oneOf?: readonly Schema[];
  examples?: readonly unknown[];
}

const KEYWORDS = new Set([
  'type', 'title', 'description', 'enum', 'const', 'pattern', 'minLength', 'maxLength', 'minimum', 'maximum', 'items',
  'minItems', 'maxItems', 'properties', 'required', 'additionalProperties', 'maxProperties', 'oneOf', 'examples',
]);
const TYPES = new Set<string>(['string', 'integer', 'number', 'boolean', 'object', 'array', 'null']);

/** A schema that is not in the supported subset: a programming error found at registration. */
export class SchemaDefinitionError extends Error {
  override name = 'SchemaDefinitionError';
}

/** A value that does not match its schema; `path` is relative to the value (`''` = the value itself). */
export interface SchemaViolation {
  path: string;
  message: string;
}

/** Throws SchemaDefinitionError when `schema` uses a keyword or value outside the subset. */
export function assertSchema(schema: Schema, where: string): void {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) throw new SchemaDefinitionError(`${where}: schema must be an object`);
  for (const k of Object.keys(schema)) if (!KEYWORDS.has(k)) throw new SchemaDefinitionError(`${where}: unsupported keyword "${k}"`);
  if (schema.type !== undefined && !TYPES.has(schema.type)) throw new SchemaDefinitionError(`${where}: unsupported type "${schema.type}"`);
  if (schema.pattern !== undefined) {
    if (schema.maxLength === undefined) throw new SchemaDefinitionError(`${where}: pattern needs maxLength (bounds regex work)`);
    new RegExp(schema.pattern, 'u'); // throws SyntaxError on a bad pattern
  }
  if (schema.items) assertSchema(schema.items, `${where}.items`);
  for (const [k, s] of Object.entries(schema.properties ?? {})) assertSchema(s, `${where}.${k}`);
  if (typeof schema.additionalProperties === 'object') assertSchema(schema.additionalProperties, `${where}.*`);
  schema.oneOf?.forEach((s, i) => assertSchema(s, `${where}.oneOf[${i}]`));
}

// Compiled patterns, cached per schema object: schemas are long-lived constants.
const patternCache = new WeakMap<Schema, RegExp>();

function regexFor(schema: Schema): RegExp {
  let re = patternCache.get(schema);
  if (!re) {
    re = new RegExp(schema.pattern as string, 'u');
    patternCache.set(schema, re);
  }
  return re;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function describe(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v) : typeOf(v);
}

function join(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;
}

/** The first violation of `schema` by `value`, or undefined when it conforms. */
export function validate(schema: Schema, value: unknown, path = ''): SchemaViolation | undefined {
  const fail = (message: string, at = path): SchemaViolation => ({ path: at, message });
  if (schema.oneOf) {
    let matches = 0;
    let firstViolation: SchemaViolation | undefined;
    for (const alt of schema.oneOf) {
      const v = validate(alt, value, path);
      if (v === undefined) matches++;
      else firstViolation ??= v;
    }
    if (matches !== 1) {
      return matches === 0 && schema.oneOf.length === 1 && firstViolation ? firstViolation : fail(matches === 0 ? `matches none of the allowed forms (${firstViolation?.message ?? ''})` : 'matches more than one allowed form');
    }
  }
  if (schema.type !== undefined) {
    const t = typeOf(value);
    const ok = t === schema.type || (schema.type === 'number' && t === 'integer');
    if (!ok) return fail(`expected ${schema.type}, got ${describe(value)}`);
    if (schema.type === 'integer' && !Number.isSafeInteger(value)) return fail('integer is outside ±(2^53-1); send it as a decimal string');
  }
  if (schema.const !== undefined && value !== schema.const) return fail(`expected ${JSON.stringify(schema.const)}`);
  if (schema.enum && !schema.enum.includes(value as string)) return fail(`expected one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}, got ${describe(value)}`);
  if (typeof value === 'string') {
    if (schema.maxLength !== undefined && value.length > schema.maxLength) return fail(`longer than ${schema.maxLength} characters`);
    if (schema.minLength !== undefined && value.length < schema.minLength) return fail(`shorter than ${schema.minLength} characters`);
    if (schema.pattern !== undefined && !regexFor(schema).test(value)) return fail(`${describe(value)} does not match ${schema.pattern}`);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) return fail(`below the minimum ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) return fail(`above the maximum ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems) return fail(`more than ${schema.maxItems} items`);
    if (schema.minItems !== undefined && value.length < schema.minItems) return fail(`fewer than ${schema.minItems} items`);
    if (schema.items) {
      for (let i = 0; i < value.length; i++) {
        const v = validate(schema.items, value[i], join(path, i));
        if (v) return v;
      }
    }
  }
  if (typeOf(value) === 'object') return validateObject(schema, value as Record<string, unknown>, path);
  return undefined;
}

function validateObject(schema: Schema, obj: Record<string, unknown>, path: string): SchemaViolation | undefined {
  const keys = Object.keys(obj);
  if (schema.maxProperties !== undefined && keys.length > schema.maxProperties) return { path, message: `more than ${schema.maxProperties} properties` };
  for (const r of schema.required ?? []) {
    if (!Object.hasOwn(obj, r)) return { path: join(path, r), message: 'is required' };
  }
  const props = schema.properties ?? {};
  for (const k of keys) {
    const sub = Object.hasOwn(props, k) ? props[k] : schema.additionalProperties;
    if (sub === false) return { path: join(path, k), message: 'is not an allowed property' };
    if (typeof sub === 'object') {
      const v = validate(sub, obj[k], join(path, k));
      if (v) return v;
    }
  }
  return undefined;
}
