/**
 * The WebSocket the client runs over: the platform's global `WebSocket` (browsers, Node 22+)
 * or an injected constructor (Node 20: pass `ws`'s `WebSocket`). This module, like every file
 * of the client, imports nothing Node-only, so bundlers can ship it to a browser.
 */
import { ClientError } from './errors.js';

/**
 * Event handlers take `any`: the DOM's and `ws`'s event types differ in detail (targets,
 * Buffer data) and neither is in scope here; the client reads only `data`, `code` and `reason`.
 */
type Handler = ((event: any) => void) | null;

/** What the client needs of a WebSocket: the common subset of the DOM API and `ws`. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: Handler;
  onmessage: Handler;
  onclose: Handler;
  onerror: Handler;
}

/** A WebSocket constructor (`globalThis.WebSocket`, or `import { WebSocket } from 'ws'`). */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** readyState of an open socket (same number in the DOM and in `ws`). */
const OPEN = 1;
/** Close code the client uses for its own orderly closes (RFC 6455 §7.4.1 "normal closure"). */
export const NORMAL_CLOSURE = 1000;
/** How long `close()` waits for the closing handshake: a live node answers in milliseconds,
 * a dead one never does, and a caller shutting down should not hang on it. */
const CLOSE_WAIT_MS = 1_000;

/** The injected constructor, else the global one; throws CLIENT_NO_WEBSOCKET when there is neither. */
export function resolveWebSocket(injected?: WebSocketConstructor): WebSocketConstructor {
  if (injected) return injected;
  const global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (global) return global;
  throw new ClientError(
    'CLIENT_NO_WEBSOCKET',
    'no global WebSocket (Node < 22?): pass one, e.g. createClient(url, { WebSocket }) with `import { WebSocket } from "ws"`',
  );
}

/** Callbacks of an open connection. */
export interface SocketEvents {
  /** A text frame arrived (binary frames are not part of the protocol and are ignored). */
  onMessage(text: string): void;
  /** The connection ended, by either side. Called once. */
  onClose(code: number, reason: string): void;
}

/** One open WebSocket connection. */
export class SocketConnection {
  #closed = false;
  #resolveClosed!: () => void;
  /** Resolves once the connection has ended. */
  readonly closed = new Promise<void>((resolve) => (this.#resolveClosed = resolve));

  private constructor(private readonly ws: WebSocketLike) {}

  /** Opens a connection to `url`; rejects with CLIENT_CONNECT_FAILED or CLIENT_TIMEOUT. */
  static open(Ctor: WebSocketConstructor, url: string, timeoutMs: number, events: SocketEvents): Promise<SocketConnection> {
    return new Promise((resolve, reject) => {
      let ws: WebSocketLike;
      try {
        ws = new Ctor(url);
      } catch (e) {
        // browsers throw a SyntaxError for a malformed URL; ws throws for a bad scheme
        reject(new ClientError('CLIENT_BAD_INPUT', `cannot open ${url}: ${(e as Error).message}`, { url }));
        return;
      }
      const timer = setTimeout(() => {
        fail(new ClientError('CLIENT_TIMEOUT', `connecting to ${url} took longer than ${timeoutMs} ms`, { url, timeoutMs }));
        try {
          ws.close();
        } catch {
          // closing a socket that never opened may throw in some implementations; it is dropped either way
        }
      }, timeoutMs);
      let settled = false;
      const fail = (err: ClientError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        ws.onopen = ws.onclose = ws.onmessage = null;
        // keep a listener: `ws` emits 'error' when a connecting socket is closed, and an
        // EventEmitter 'error' without a listener would crash the process
        ws.onerror = () => {};
        reject(err);
      };
      ws.onerror = (ev: { message?: string; error?: Error }) => {
        const detail = ev?.message ?? ev?.error?.message ?? 'connection error';
        fail(new ClientError('CLIENT_CONNECT_FAILED', `cannot connect to ${url}: ${detail}`, { url }));
      };
      ws.onclose = (ev: { code?: number }) =>
        fail(new ClientError('CLIENT_CONNECT_FAILED', `cannot connect to ${url}: closed (${ev?.code ?? 'no code'})`, { url }));
      ws.onopen = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const conn = new SocketConnection(ws);
        conn.attach(events);
        resolve(conn);
      };
    });
  }

  private attach(events: SocketEvents): void {
    this.ws.onmessage = (ev: { data: unknown }) => {
      if (typeof ev.data === 'string') events.onMessage(ev.data);
    };
    // errors are always followed by a close event, which is where the client reacts
    this.ws.onerror = () => {};
    this.ws.onclose = (ev: { code?: number; reason?: unknown }) => {
      if (this.#closed) return;
      this.#closed = true;
      this.ws.onmessage = this.ws.onclose = null;
      this.#resolveClosed();
      events.onClose(ev?.code ?? 0, typeof ev?.reason === 'string' ? ev.reason : String(ev?.reason ?? ''));
    };
  }

  /** Whether frames can be sent. */
  get isOpen(): boolean {
    return !this.#closed && this.ws.readyState === OPEN;
  }

  /** Sends a text frame; false if the socket is not open (the frame is not sent). */
  send(text: string): boolean {
    if (!this.isOpen) return false;
    this.ws.send(text);
    return true;
  }

  /** Starts an orderly close; resolves when it is done or after `waitMs` (`onClose` follows). */
  close(code = NORMAL_CLOSURE, reason = '', waitMs = CLOSE_WAIT_MS): Promise<void> {
    try {
      this.ws.close(code, reason);
    } catch {
      // already closing: nothing left to do
    }
    return new Promise<void>((resolve) => {
      const t = setTimeout(resolve, waitMs);
      void this.closed.then(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}
