/** What a method handler knows about the request it serves. */
import type { RpcError } from './errors.js';
import type { ConnectionSubscriptions } from './subscriptions.js';

/** Per-frame context the transport hands to the dispatcher and, through it, to handlers. */
export interface RpcContext {
  /** `internal` = called in-process (tests, benchmarks), no socket behind it. */
  readonly transport: 'ws' | 'http' | 'internal';
  /** Server-unique id of the connection (HTTP: of the TCP socket), for logs. */
  readonly connectionId: number;
  readonly remoteAddress?: string;
  /** The connection's subscriptions; only WebSocket connections have them. */
  readonly subscriptions?: ConnectionSubscriptions;
  /**
   * Admission check run once per request object before dispatch (rate limit, in-flight cap);
   * returns the error to answer with, or undefined to proceed.
   */
  admit(): RpcError | undefined;
  /**
   * Runs `fn` once the response carrying this request's answer has been handed to the socket
   * (or immediately after dispatch when there is none), so a subscription's first notification
   * can never overtake the response that tells the client its id.
   */
  afterResponse(fn: () => void): void;
}

/** A context with no transport behind it: admits everything, runs `afterResponse` hooks on `flush()`. */
export function internalContext(connectionId = 0): RpcContext & { flush(): void } {
  const hooks: Array<() => void> = [];
  return {
    transport: 'internal',
    connectionId,
    admit: () => undefined,
    afterResponse: (fn) => void hooks.push(fn),
    flush: () => hooks.splice(0).forEach((fn) => fn()),
  };
}
