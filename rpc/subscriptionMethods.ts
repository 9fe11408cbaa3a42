/**
 * `subscribe` and `unsubscribe` (issue 5). Notifications are
 * `{"jsonrpc":"2.0","method":"subscription","params":{"subscription":id,"result":…}}`.
 */
import type { RpcContext } from './context.js';
import { RpcError } from './errors.js';
import type { MethodSpec } from './methodTable.js';
import type { Schema } from './schema.js';
import type { ConnectionSubscriptions, SubscriptionKind } from './subscriptions.js';

/** Most equality filters on event fields per subscription: each costs a comparison per event. */
const MAX_EVENT_FILTERS = 16;
/** Longest event or field name / string filter value; contract ABIs use short identifiers. */
const MAX_NAME_LENGTH = 64;
const MAX_FILTER_STRING = 256;

const HASH_SCHEMA: Schema = { type: 'string', pattern: '^0x[0-9a-fA-F]{64}$', maxLength: 66, description: 'tx hash, 0x + 64 hex' };
const ADDRESS_SCHEMA: Schema = { type: 'string', pattern: '^0x[0-9a-fA-F]{40}$', maxLength: 42, description: 'contract address, 0x + 40 hex' };
const SUBSCRIPTION_ID_SCHEMA: Schema = { type: 'string', pattern: '^0x[0-9a-f]{1,64}$', maxLength: 66, description: 'subscription id' };

const KIND_SCHEMA: Schema = { type: 'string', enum: ['newHeads', 'finalized', 'events', 'tx'] };

const OPTIONS_SCHEMA: Schema = {
  type: 'object',
  description:
    'events: {contract?, event?, filters?, fromHeight?}; tx: {hash}; newHeads/finalized: none. fromHeight replays past events first, then live ones, without gaps or duplicates.',
  properties: {
    contract: ADDRESS_SCHEMA,
    event: { type: 'string', maxLength: MAX_NAME_LENGTH },
    filters: {
      type: 'object',
      maxProperties: MAX_EVENT_FILTERS,
      description: 'event fields that must equal these values',
      additionalProperties: {
        oneOf: [{ type: 'string', maxLength: MAX_FILTER_STRING }, { type: 'number' }, { type: 'boolean' }, { type: 'null' }],
      },
    },
    fromHeight: { type: 'integer', minimum: 0, description: 'replay matching events from this height (resume after reconnect)' },
    hash: HASH_SCHEMA,
  },
  additionalProperties: false,
};

interface SubscribeParams {
  kind: SubscriptionKind;
  options?: { contract?: string; event?: string; filters?: Record<string, string | number | boolean | null>; fromHeight?: number; hash?: string };
}

function registryOf(ctx: RpcContext): ConnectionSubscriptions {
  if (!ctx.subscriptions) throw RpcError.app('websocket_required', 'subscriptions need a WebSocket connection');
  return ctx.subscriptions;
}

const EVENT_ONLY = ['contract', 'event', 'filters', 'fromHeight'] as const;

/** Rejects options that do not belong to `kind`, naming the first offending one. */
function checkOptionsFor(kind: SubscriptionKind, o: NonNullable<SubscribeParams['options']>): void {
  const notFor = (k: string) => RpcError.invalidParams(`options.${k}`, `options.${k} is not allowed for ${kind} subscriptions`);
  if (kind === 'tx') {
    for (const k of EVENT_ONLY) if (o[k] !== undefined) throw notFor(k);
    if (o.hash === undefined) throw RpcError.invalidParams('options.hash', 'a tx subscription needs options.hash');
  } else if (kind === 'events') {
    if (o.hash !== undefined) throw notFor('hash');
  } else {
    const k = Object.keys(o)[0];
    if (k !== undefined) throw notFor(k);
  }
}

/** The subscribe method. */
export const subscribeMethod: MethodSpec<SubscribeParams, string> = {
  name: 'subscribe',
  summary: 'Subscribes to new heads, finalized blocks, contract events or one tx status (WebSocket only); returns the subscription id.',
  params: [
    { name: 'kind', schema: KIND_SCHEMA, required: true },
    { name: 'options', schema: OPTIONS_SCHEMA },
  ],
  result: { name: 'subscriptionId', schema: SUBSCRIPTION_ID_SCHEMA },
  errors: ['too_many_subscriptions', 'websocket_required'],
  handler({ kind, options = {} }, ctx) {
    const registry = registryOf(ctx);
    checkOptionsFor(kind, options);
    const { hash, fromHeight, ...filter } = options;
    const id = registry.subscribe(kind, {
      ...(kind === 'events' ? { filter } : {}),
      ...(fromHeight !== undefined ? { fromHeight } : {}),
      ...(hash !== undefined ? { hash } : {}),
    });
    ctx.afterResponse(() => registry.activate(id));
    return id;
  },
};

/** The unsubscribe method. */
export const unsubscribeMethod: MethodSpec<{ id: string }, boolean> = {
  name: 'unsubscribe',
  summary: 'Ends a subscription of this connection.',
  params: [{ name: 'id', schema: SUBSCRIPTION_ID_SCHEMA, required: true }],
  result: { name: 'ok', schema: { type: 'boolean', const: true } },
  errors: ['unknown_subscription', 'websocket_required'],
  handler({ id }, ctx) {
    if (!registryOf(ctx).unsubscribe(id)) throw RpcError.app('unknown_subscription', `no subscription ${id} on this connection`);
    return true;
  },
};

/** Both subscription methods, for `MethodTable.registerAll`. */
export const subscriptionMethods: readonly MethodSpec[] = [subscribeMethod, unsubscribeMethod];
