/**
 * The OpenRPC 1.x document (https://spec.open-rpc.org/), generated from the method table the
 * dispatcher uses, so the published API cannot drift from the served one. `rpc.discover` is
 * the OpenRPC convention for fetching it.
 */
import { applicationErrors, INVALID_PARAMS, RPC_ERRORS, type AppErrorSpec } from './errors.js';
import type { MethodSpec, MethodTable } from './methodTable.js';
import type { Schema } from './schema.js';

/** OpenRPC version the document follows. */
export const OPENRPC_VERSION = '1.2.6';

/** An OpenRPC error object. */
export interface OpenRpcError {
  code: number;
  message: string;
  data?: { reason: string };
}

/** The subset of the OpenRPC document medchain emits. */
export interface OpenRpcDocument {
  openrpc: string;
  info: { title: string; version: string; description?: string };
  methods: Array<{
    name: string;
    summary: string;
    description?: string;
    paramStructure: 'either';
    params: Array<{ name: string; required: boolean; schema: Schema; description?: string }>;
    result: { name: string; schema: Schema; description?: string };
    errors: OpenRpcError[];
  }>;
  /** Every application error code with its reason and the medchain codes mapped to it. */
  'x-medchain-errors': Array<AppErrorSpec & { medchainCodes: string[] }>;
}

const INVALID_PARAMS_ERROR: OpenRpcError = { code: INVALID_PARAMS, message: 'Invalid params', data: { reason: 'invalid_params' } };

function errorsOf(spec: MethodSpec, byReason: Map<string, AppErrorSpec>): OpenRpcError[] {
  const out: OpenRpcError[] = [];
  if (spec.params.length > 0) out.push(INVALID_PARAMS_ERROR);
  for (const reason of spec.errors ?? []) {
    const e = byReason.get(reason);
    // reasons are checked at registration (methodTable.ts)
    if (e && e.code !== INVALID_PARAMS) out.push({ code: e.code, message: e.summary, data: { reason: e.reason } });
  }
  // every method can be refused by the per-connection rate limit
  out.push({ code: RPC_ERRORS.rate_limited.code, message: RPC_ERRORS.rate_limited.summary, data: { reason: 'rate_limited' } });
  return out;
}

/** Builds the OpenRPC document of every method in `table`. */
export function buildOpenRpcDocument(table: MethodTable): OpenRpcDocument {
  const appErrors = applicationErrors();
  const byReason = new Map(appErrors.map((e) => [e.reason, e]));
  return {
    openrpc: OPENRPC_VERSION,
    info: { ...table.info },
    methods: table.list().map((m) => ({
      name: m.name,
      summary: m.summary,
      ...(m.description ? { description: m.description } : {}),
      paramStructure: 'either',
      params: m.params.map((p) => ({ name: p.name, required: p.required === true, schema: p.schema, ...(p.description ? { description: p.description } : {}) })),
      result: { ...m.result },
      errors: errorsOf(m, byReason),
    })),
    'x-medchain-errors': appErrors,
  };
}

/** The `rpc.discover` method of `table`; the document is rebuilt only after registrations. */
export function discoverMethod(table: MethodTable): MethodSpec<Record<string, never>, OpenRpcDocument> {
  let cached: { revision: number; doc: OpenRpcDocument } | undefined;
  return {
    name: 'rpc.discover',
    summary: 'Returns the OpenRPC document describing every method of this server.',
    params: [],
    result: { name: 'openrpcDocument', schema: { type: 'object', description: `OpenRPC ${OPENRPC_VERSION} document` } },
    handler: () => {
      if (cached?.revision !== table.revision) cached = { revision: table.revision, doc: buildOpenRpcDocument(table) };
      return cached.doc;
    },
  };
}
