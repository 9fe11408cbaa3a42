/**
 * The method table: the single list the dispatcher dispatches on and `rpc.discover` documents.
 * A method declares its params (name, schema, required) and result schema next to its handler;
 * params are validated before the handler runs (style: "parameters validated before the
 * handler"), whether the client sent them by position or by name (JSON-RPC 2.0 §4.2).
 */
import type { RpcContext } from './context.js';
import { applicationErrors, RpcError } from './errors.js';
import { discoverMethod } from './openrpc.js';
import { assertSchema, validate, type Schema } from './schema.js';

/** One parameter of a method. */
export interface ParamSpec {
  name: string;
  schema: Schema;
  /** Default false. Required params must precede optional ones (positional calls need it). */
  required?: boolean;
  description?: string;
}

/** A method's result (OpenRPC "contentDescriptor"). */
export interface ResultSpec {
  name: string;
  schema: Schema;
  description?: string;
}

/** A method definition: documentation, validation and implementation in one record. */
export interface MethodSpec<P = any, R = unknown> {
  name: string;
  summary: string;
  description?: string;
  params: readonly ParamSpec[];
  result: ResultSpec;
  /** `data.reason`s this method may answer with besides the standard ones (documented in OpenRPC). */
  errors?: readonly string[];
  /** Receives the validated params keyed by name (absent optional params are missing). */
  handler(params: P, ctx: RpcContext): R | Promise<R>;
}

/** Title and version of the API, for the OpenRPC `info` object. */
export interface ApiInfo {
  title: string;
  version: string;
  description?: string;
}

/** Longest method name accepted at registration; requests for longer names are simply not found. */
const MAX_METHOD_NAME = 64;
const METHOD_NAME_RE = /^[A-Za-z][A-Za-z0-9_.]*$/;

/** Thrown when a method definition is unusable (duplicate name, bad schema, param order). */
export class MethodDefinitionError extends Error {
  override name = 'MethodDefinitionError';
}

/** Registered methods by name, with `rpc.discover` built in. */
export class MethodTable {
  private readonly methods = new Map<string, MethodSpec>();
  private version = 0;

  constructor(readonly info: ApiInfo = { title: 'medchain JSON-RPC', version: '0.1.0' }) {
    this.register(discoverMethod(this));
  }

  /** Adds a method; throws MethodDefinitionError if its definition is inconsistent. */
  register<P, R>(spec: MethodSpec<P, R>): this {
    checkSpec(spec);
    if (this.methods.has(spec.name)) throw new MethodDefinitionError(`method ${spec.name} is already registered`);
    this.methods.set(spec.name, spec as MethodSpec);
    this.version++;
    return this;
  }

  /** Adds several methods. */
  registerAll(specs: readonly MethodSpec[]): this {
    for (const s of specs) this.register(s);
    return this;
  }

  /** The method called `name`, if registered. */
  get(name: string): MethodSpec | undefined {
    return this.methods.get(name);
  }

  /** Whether `name` is registered. */
  has(name: string): boolean {
    return this.methods.has(name);
  }

  /** All methods, in registration order. */
  list(): MethodSpec[] {
    return [...this.methods.values()];
  }

  /** Increases on every registration, so derived documents know when to rebuild. */
  get revision(): number {
    return this.version;
  }
}

function checkSpec(spec: MethodSpec): void {
  const n = spec.name;
  if (typeof n !== 'string' || n.length > MAX_METHOD_NAME || !METHOD_NAME_RE.test(n)) throw new MethodDefinitionError(`bad method name ${JSON.stringify(n)}`);
  if (n.startsWith('rpc.') && n !== 'rpc.discover') throw new MethodDefinitionError(`${n}: names starting with "rpc." are reserved (JSON-RPC 2.0 §4)`);
  if (typeof spec.handler !== 'function') throw new MethodDefinitionError(`${n}: handler must be a function`);
  const seen = new Set<string>();
  let optionalSeen = false;
  for (const p of spec.params) {
    if (seen.has(p.name)) throw new MethodDefinitionError(`${n}: duplicate param ${p.name}`);
    seen.add(p.name);
    if (p.required && optionalSeen) throw new MethodDefinitionError(`${n}: required param ${p.name} follows an optional one`);
    if (!p.required) optionalSeen = true;
    assertSchema(p.schema, `${n}(${p.name})`);
  }
  assertSchema(spec.result.schema, `${n} result`);
  const known = new Set(applicationErrors().map((e) => e.reason));
  for (const r of spec.errors ?? []) if (!known.has(r)) throw new MethodDefinitionError(`${n}: unknown error reason "${r}" (add it to rpc/errors.ts)`);
}

/**
 * Binds a request's `params` (array = by position, object = by name, absent = none) to the
 * method's declared params and validates them. Throws RpcError -32602 naming the offending param.
 * A `null` for an optional param counts as absent (what most clients send for "not given").
 */
export function bindParams(spec: MethodSpec, params: unknown): Record<string, unknown> {
  const decl = spec.params;
  const out: Record<string, unknown> = {};
  if (Array.isArray(params)) {
    if (params.length > decl.length) {
      throw RpcError.invalidParams(`[${decl.length}]`, `${spec.name} takes at most ${decl.length} params, got ${params.length}`);
    }
    for (let i = 0; i < params.length; i++) out[decl[i].name] = params[i];
  } else if (params !== undefined) {
    const given = params as Record<string, unknown>;
    for (const k of Object.keys(given)) {
      if (!decl.some((p) => p.name === k)) throw RpcError.invalidParams(k.slice(0, 64), `${spec.name} has no param named ${JSON.stringify(k.slice(0, 64))}`);
    }
    for (const p of decl) if (Object.hasOwn(given, p.name)) out[p.name] = given[p.name];
  }
  for (const p of decl) {
    if (!Object.hasOwn(out, p.name)) {
      if (p.required) throw RpcError.invalidParams(p.name, `missing required param ${p.name}`);
      continue;
    }
    if (out[p.name] === null && !p.required) {
      delete out[p.name];
      continue;
    }
    const v = validate(p.schema, out[p.name], p.name);
    if (v) throw RpcError.invalidParams(v.path, `${v.path} ${v.message}`);
  }
  return out;
}
