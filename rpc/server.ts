/**
 * The RPC server: one port serving WebSocket (upgrade on `/`) and HTTP (`POST /`,
 * `GET /health`), dispatching on one method table. Construction does no I/O; `listen()` binds.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { Dispatcher } from './dispatcher.js';
import { createHttpHandler, originAllowed, type HealthCheck } from './httpHandler.js';
import { DEFAULT_RPC_HOST, DEFAULT_RPC_PORT, resolveLimits, type RpcLimits } from './limits.js';
import { NOOP_LOGGER, type RpcLogger } from './logger.js';
import type { MethodTable } from './methodTable.js';
import { subscriptionMethods } from './subscriptionMethods.js';
import type { SubscriptionHub } from './subscriptions.js';
import { CLOSE_GOING_AWAY, WsConnection } from './wsConnection.js';

/** Where to listen and how strictly. */
export interface RpcServerOptions {
  /** Default 127.0.0.1 (`--rpc-host`). */
  host?: string;
  /** Default 8546 (`--rpc-port`); 0 picks a free port (tests). */
  port?: number;
  /** Overrides of the documented defaults in limits.ts. */
  limits?: Partial<RpcLimits>;
  /** Browser origins allowed (CORS / WebSocket Origin); default none, `['*']` = any. */
  allowedOrigins?: readonly string[];
}

/** What the server serves. */
export interface RpcServerDeps {
  methods: MethodTable;
  /** Enables `subscribe`/`unsubscribe` (registered into `methods` if absent). */
  hub?: SubscriptionHub;
  health?: HealthCheck;
  /** Serves `GET /metrics` (Prometheus text) when given. */
  metrics?: () => string;
  logger?: RpcLogger;
}

/** Counters for metrics and tests. */
export interface RpcServerStats {
  connections: number;
  rejectedConnections: number;
  slowConsumersDropped: number;
  subscriptions: number;
}

/** A running (or ready to run) RPC server. */
export interface RpcServer {
  readonly limits: Readonly<RpcLimits>;
  readonly dispatcher: Dispatcher;
  /** Binds the port; resolves with the bound address. */
  listen(): Promise<AddressInfo>;
  /** Closes every connection (WebSocket code 1001) and the listener; resolves when all are gone. */
  close(): Promise<void>;
  address(): AddressInfo | undefined;
  stats(): RpcServerStats;
}

/** Builds the server (no I/O until `listen()`). */
export function createRpcServer(opts: RpcServerOptions, deps: RpcServerDeps): RpcServer {
  const limits = resolveLimits(opts.limits);
  const logger = deps.logger ?? NOOP_LOGGER;
  const allowedOrigins = opts.allowedOrigins ?? [];
  if (deps.hub && !deps.methods.has('subscribe')) deps.methods.registerAll(subscriptionMethods);
  const dispatcher = new Dispatcher(deps.methods, { maxBatchLength: limits.maxBatchLength, logger });
  const conns = new Set<WsConnection>();
  const counters = { rejectedConnections: 0, slowConsumersDropped: 0 };
  let nextId = 1;
  let closing = false;
  let pingTimer: NodeJS.Timeout | undefined;

  const http: Server = createServer(
    { headersTimeout: limits.headersTimeoutMs, requestTimeout: limits.requestTimeoutMs, keepAliveTimeout: limits.keepAliveTimeoutMs },
    createHttpHandler({ dispatcher, limits, logger, health: deps.health, metrics: deps.metrics, allowedOrigins, nextConnectionId: () => nextId++, isClosing: () => closing }),
  );
  http.maxConnections = limits.maxConnections + limits.maxHttpSockets;
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxFrameBytes, perMessageDeflate: false, clientTracking: false });

  function reject(socket: Duplex, status: string): void {
    counters.rejectedConnections++;
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    socket.destroy();
  }

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', (e) => logger.debug('rpc: upgrade socket error', { error: e.message }));
    if (closing) return reject(socket, '503 Service Unavailable');
    if ((req.url ?? '/').split('?')[0] !== '/') return reject(socket, '404 Not Found');
    if (!originAllowed(req.headers.origin, allowedOrigins)) return reject(socket, '403 Forbidden');
    if (conns.size >= limits.maxConnections) {
      logger.warn('rpc: connection limit reached', { limit: limits.maxConnections });
      return reject(socket, '503 Service Unavailable');
    }
    // without verifyClient, ws completes (or aborts) the handshake synchronously, so the count
    // above cannot be raced by concurrent upgrades
    wss.handleUpgrade(req, socket, head, (ws) => {
      const conn = new WsConnection(ws, nextId++, req.socket.remoteAddress, {
        dispatcher,
        hub: deps.hub,
        limits,
        logger,
        onClose: (c) => conns.delete(c),
        onSlowConsumer: (c) => {
          counters.slowConsumersDropped++;
          logger.warn('rpc: dropping slow consumer', { connection: c.id, limit: limits.maxSendBufferBytes });
        },
      });
      conns.add(conn);
      if (closing) conn.drop(CLOSE_GOING_AWAY, 'server shutting down');
    });
  });

  function ping(): void {
    for (const c of conns) {
      if (!c.alive) {
        c.ws.terminate();
        continue;
      }
      c.alive = false;
      c.ws.ping();
    }
  }

  return {
    limits,
    dispatcher,
    listen: () =>
      new Promise<AddressInfo>((resolve, reject) => {
        http.once('error', reject);
        http.listen(opts.port ?? DEFAULT_RPC_PORT, opts.host ?? DEFAULT_RPC_HOST, () => {
          http.off('error', reject);
          pingTimer = setInterval(ping, limits.pingIntervalMs);
          pingTimer.unref();
          const addr = http.address() as AddressInfo;
          logger.info('rpc: listening', { host: addr.address, port: addr.port });
          resolve(addr);
        });
      }),
    close: async () => {
      closing = true;
      if (pingTimer) clearInterval(pingTimer);
      const gone = [...conns].map((c) => new Promise<void>((r) => (c.ws.readyState === c.ws.CLOSED ? r() : c.ws.once('close', () => r()))));
      for (const c of conns) c.drop(CLOSE_GOING_AWAY, 'server shutting down');
      await Promise.all(gone);
      await new Promise<void>((resolve) => {
        if (!http.listening) return resolve();
        http.close(() => resolve());
        http.closeAllConnections();
      });
    },
    address: () => (http.listening ? (http.address() as AddressInfo) : undefined),
    stats: () => ({ connections: conns.size, ...counters, subscriptions: [...conns].reduce((n, c) => n + c.subscriptionCount, 0) }),
  };
}
