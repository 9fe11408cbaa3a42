/**
 * The plain-HTTP side of the port: `POST /` with `application/json` (so `curl` works),
 * `GET /health`, CORS preflight for configured browser origins, and clear status codes for
 * everything else. A body larger than the frame limit is refused with 413 before it is read.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { RpcContext } from './context.js';
import type { Dispatcher } from './dispatcher.js';
import { RpcError } from './errors.js';
import type { RpcLimits } from './limits.js';
import type { RpcLogger } from './logger.js';
import { TokenBucket } from '../core/ratelimit/tokenBucket.js';

/** The node's sync state for `GET /health`. */
export interface HealthStatus {
  synced: boolean;
  height: number | bigint | string;
}

/** Supplies `GET /health`; may be async; throwing counts as unhealthy. */
export type HealthCheck = () => HealthStatus | Promise<HealthStatus>;

/** How long browsers may cache a CORS preflight answer. */
const CORS_MAX_AGE_S = 600;

/** What the HTTP handler needs from the server. */
export interface HttpHandlerDeps {
  dispatcher: Dispatcher;
  limits: RpcLimits;
  logger: RpcLogger;
  health?: HealthCheck;
  /** Supplies `GET /metrics` (Prometheus text exposition format). */
  metrics?: () => string;
  /** Browser origins allowed to call the API; `'*'` allows any. */
  allowedOrigins: readonly string[];
  /** A server-unique id for a new TCP socket (for logs). */
  nextConnectionId(): number;
  /** True once the server is shutting down: new requests get 503 `server_closing`. */
  isClosing(): boolean;
}

/** Whether a browser `Origin` header value may use the API. */
export function originAllowed(origin: string | undefined, allowed: readonly string[]): boolean {
  return origin === undefined || allowed.includes('*') || allowed.includes(origin);
}

function sendJson(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

function rpcErrorBody(err: RpcError): string {
  return `{"jsonrpc":"2.0","id":null,"error":${JSON.stringify(err)}}`;
}

/** Builds the `request` listener of the HTTP server. */
export function createHttpHandler(deps: HttpHandlerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  // Per TCP socket, so a keep-alive client is rate-limited like a WebSocket connection.
  const sockets = new WeakMap<Socket, { id: number; bucket: TokenBucket }>();
  const socketState = (s: Socket) => {
    let st = sockets.get(s);
    if (!st) sockets.set(s, (st = { id: deps.nextConnectionId(), bucket: new TokenBucket(deps.limits.requestsPerSecond, deps.limits.requestBurst) }));
    return st;
  };

  async function health(res: ServerResponse): Promise<void> {
    if (!deps.health) return sendJson(res, 503, '{"synced":false,"error":"no health source configured"}');
    try {
      const h = await deps.health();
      const height = typeof h.height === 'bigint' ? h.height.toString() : h.height;
      sendJson(res, h.synced ? 200 : 503, JSON.stringify(h.synced ? { height } : { height, synced: false }));
    } catch (e) {
      deps.logger.warn('rpc: health check failed', {}, e);
      sendJson(res, 503, '{"synced":false,"error":"health check failed"}');
    }
  }

  function post(req: IncomingMessage, res: ServerResponse, cors: Record<string, string>): void {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json') {
      const err = RpcError.invalidRequest('unsupported_media_type', 'send the request with Content-Type: application/json');
      return sendJson(res, 415, rpcErrorBody(err), cors);
    }
    const max = deps.limits.maxFrameBytes;
    const tooLarge = () => {
      const err = RpcError.invalidRequest('frame_too_large', `request bodies are limited to ${max} bytes`, { limit: max });
      // do not read the rest of an oversized body: answer and close the socket
      sendJson(res, 413, rpcErrorBody(err), { ...cors, Connection: 'close' });
    };
    if (Number(req.headers['content-length'] ?? 0) > max) return tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > max) {
        refused = true;
        chunks.length = 0;
        tooLarge();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (refused) return;
      const st = socketState(req.socket);
      const hooks: Array<() => void> = [];
      const ctx: RpcContext = {
        transport: 'http',
        connectionId: st.id,
        remoteAddress: req.socket.remoteAddress,
        admit: () =>
          st.bucket.tryTake()
            ? undefined
            : RpcError.app('rate_limited', `more than ${deps.limits.requestsPerSecond} requests/s on this connection`, {
                limit: 'requestsPerSecond',
                retryAfterMs: st.bucket.retryAfterMs(),
              }),
        afterResponse: (fn) => void hooks.push(fn),
      };
      deps.dispatcher.handleText(Buffer.concat(chunks).toString('utf8'), ctx).then(
        (body) => {
          if (body === undefined) res.writeHead(204, cors).end();
          else sendJson(res, 200, body, cors);
          for (const fn of hooks) fn();
        },
        (e) => {
          deps.logger.error('rpc: dispatcher failed', { connection: st.id }, e);
          sendJson(res, 500, rpcErrorBody(RpcError.internal()), cors);
        },
      );
    });
  }

  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const origin = req.headers.origin;
    const allowed = originAllowed(origin, deps.allowedOrigins);
    const cors: Record<string, string> = origin !== undefined && allowed ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' } : {};
    if (path === '/health') {
      if (req.method === 'GET') return void health(res);
      return sendJson(res, 405, '{"error":"use GET /health"}', { Allow: 'GET' });
    }
    if (path === '/metrics' && deps.metrics) {
      if (req.method !== 'GET') return sendJson(res, 405, '{"error":"use GET /metrics"}', { Allow: 'GET' });
      let body: string;
      try {
        body = deps.metrics();
      } catch (e) {
        deps.logger.warn('rpc: metrics failed', {}, e);
        return sendJson(res, 500, '{"error":"metrics unavailable"}');
      }
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
      return void res.end(body);
    }
    if (path !== '/') return sendJson(res, 404, '{"error":"not found: JSON-RPC is served at POST / and WebSocket /"}');
    if (req.method === 'OPTIONS') {
      const pre = allowed && origin !== undefined ? { ...cors, 'Access-Control-Allow-Methods': 'POST, GET', 'Access-Control-Allow-Headers': 'Content-Type', 'Access-Control-Max-Age': String(CORS_MAX_AGE_S) } : {};
      return void res.writeHead(204, pre).end();
    }
    if (req.method !== 'POST') return sendJson(res, 405, '{"error":"JSON-RPC over HTTP uses POST"}', { Allow: 'POST, OPTIONS' });
    if (!allowed) return sendJson(res, 403, '{"error":"origin not allowed"}');
    if (deps.isClosing()) return sendJson(res, 503, rpcErrorBody(RpcError.app('server_closing', 'the server is shutting down')), { ...cors, Connection: 'close' });
    post(req, res, cors);
  };
}
