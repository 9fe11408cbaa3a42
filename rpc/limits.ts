/**
 * Every limit of the RPC server, in one object with documented defaults. Hitting a limit only
 * ever affects the client that hit it (issue 5: "hitting a limit never affects other clients").
 */

/** Default listen address: loopback, so a fresh node is not an open RPC endpoint. */
export const DEFAULT_RPC_HOST = '127.0.0.1';
/** Default port (design §9). */
export const DEFAULT_RPC_PORT = 8546;

/** 1 MiB (issue 5): a SignedTx with a contract deploy fits many times over; bounds parse work. */
export const MAX_FRAME_BYTES = 1024 * 1024;
/** 100 entries (issue 5): enough to amortise round trips, small enough to answer promptly. */
export const MAX_BATCH_LENGTH = 100;
/** 64 (issue 5): a dashboard needs a handful; each subscription costs matching work per event. */
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 64;
/** Sustained requests/s per connection (a batch entry counts as one): far above an honest client. */
export const REQUESTS_PER_SECOND = 500;
/** Token-bucket depth: lets a client send a full batch or a burst after idling without a refusal. */
export const REQUEST_BURST = 1000;
/** Requests being processed at once per connection: bounds memory held by slow handlers (tx waits). */
export const MAX_IN_FLIGHT_PER_CONNECTION = 256;
/** Concurrent WebSocket connections: each holds buffers and subscriptions; excess upgrades get 503. */
export const MAX_CONNECTIONS = 1024;
/** Extra TCP sockets for plain HTTP beyond the WebSocket cap (keep-alive clients, health probes). */
export const MAX_HTTP_SOCKETS = 256;
/** Bytes queued for a client that is not reading before it is dropped (close 1008): 8 max frames. */
export const MAX_SEND_BUFFER_BYTES = 8 * MAX_FRAME_BYTES;
/** Notifications held for one subscription while its history replays; more means the client cannot keep up. */
export const MAX_PENDING_NOTIFICATIONS = 10_000;
/** Time a dropped client gets to read its close frame before the socket is destroyed. */
export const CLOSE_GRACE_MS = 1_000;
/** WebSocket ping period; a connection that misses one pong is terminated (frees dead peers' subscriptions). */
export const PING_INTERVAL_MS = 30_000;
/** Time to send request headers (slowloris guard, Node's own default is 60 s). */
export const HEADERS_TIMEOUT_MS = 10_000;
/** Time to send a whole HTTP request body. */
export const REQUEST_TIMEOUT_MS = 30_000;
/** Idle keep-alive HTTP sockets are closed after this. */
export const KEEP_ALIVE_TIMEOUT_MS = 5_000;

/** The server's limits; every field has a default above. */
export interface RpcLimits {
  maxFrameBytes: number;
  maxBatchLength: number;
  maxSubscriptionsPerConnection: number;
  requestsPerSecond: number;
  requestBurst: number;
  maxInFlightPerConnection: number;
  maxConnections: number;
  maxHttpSockets: number;
  maxSendBufferBytes: number;
  maxPendingNotifications: number;
  closeGraceMs: number;
  pingIntervalMs: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
}

/** The documented defaults. */
export const DEFAULT_LIMITS: Readonly<RpcLimits> = Object.freeze({
  maxFrameBytes: MAX_FRAME_BYTES,
  maxBatchLength: MAX_BATCH_LENGTH,
  maxSubscriptionsPerConnection: MAX_SUBSCRIPTIONS_PER_CONNECTION,
  requestsPerSecond: REQUESTS_PER_SECOND,
  requestBurst: REQUEST_BURST,
  maxInFlightPerConnection: MAX_IN_FLIGHT_PER_CONNECTION,
  maxConnections: MAX_CONNECTIONS,
  maxHttpSockets: MAX_HTTP_SOCKETS,
  maxSendBufferBytes: MAX_SEND_BUFFER_BYTES,
  maxPendingNotifications: MAX_PENDING_NOTIFICATIONS,
  closeGraceMs: CLOSE_GRACE_MS,
  pingIntervalMs: PING_INTERVAL_MS,
  headersTimeoutMs: HEADERS_TIMEOUT_MS,
  requestTimeoutMs: REQUEST_TIMEOUT_MS,
  keepAliveTimeoutMs: KEEP_ALIVE_TIMEOUT_MS,
});

/** Defaults overridden by `overrides`; throws RangeError on a non-positive or non-finite value. */
export function resolveLimits(overrides: Partial<RpcLimits> = {}): RpcLimits {
  const limits = { ...DEFAULT_LIMITS, ...overrides };
  for (const [k, v] of Object.entries(limits)) {
    if (typeof v !== 'number' || !(v > 0) || (!Number.isFinite(v) && k !== 'requestsPerSecond')) {
      throw new RangeError(`rpc limit ${k} must be a positive number, got ${String(v)}`);
    }
  }
  return limits;
}
