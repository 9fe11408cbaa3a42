/** Real servers on 127.0.0.1:0 and real clients (ws, fetch) for the RPC tests. */
import WebSocket from 'ws';
import { createRpcServer, MethodTable, type MethodSpec, type RpcLimits, type RpcLogger, type RpcServer, type SubscriptionHub } from '../../rpc/index.js';
import type { HealthCheck } from '../../rpc/httpHandler.js';

const num = { type: 'number' } as const;

/** The methods of the JSON-RPC 2.0 specification's examples (§7). */
export const SPEC_METHODS: MethodSpec[] = [
  {
    name: 'subtract',
    summary: 'minuend - subtrahend',
    params: [
      { name: 'minuend', schema: num, required: true },
      { name: 'subtrahend', schema: num, required: true },
    ],
    result: { name: 'difference', schema: num },
    handler: ({ minuend, subtrahend }: { minuend: number; subtrahend: number }) => minuend - subtrahend,
  },
  {
    name: 'sum',
    summary: 'a + b + c',
    params: [
      { name: 'a', schema: num, required: true },
      { name: 'b', schema: num },
      { name: 'c', schema: num },
    ],
    result: { name: 'sum', schema: num },
    handler: ({ a, b = 0, c = 0 }: { a: number; b?: number; c?: number }) => a + b + c,
  },
  {
    name: 'notify_hello',
    summary: 'accepts one number and does nothing',
    params: [{ name: 'n', schema: { type: 'integer' }, required: true }],
    result: { name: 'none', schema: { type: 'null' } },
    handler: () => null,
  },
  {
    name: 'get_data',
    summary: 'returns ["hello", 5]',
    params: [],
    result: { name: 'data', schema: { type: 'array' } },
    handler: () => ['hello', 5],
  },
];

/** A logger that records warnings and errors for assertions. */
export function recordingLogger(): RpcLogger & { lines: Array<{ level: string; msg: string; ctx?: Record<string, unknown> }> } {
  const lines: Array<{ level: string; msg: string; ctx?: Record<string, unknown> }> = [];
  const rec = (level: string) => (msg: string, ctx?: Record<string, unknown>) => void lines.push({ level, msg, ctx });
  return { lines, debug: () => undefined, info: rec('info'), warn: rec('warn'), error: rec('error') };
}

/** A started server with its URLs. */
export interface TestServer {
  server: RpcServer;
  methods: MethodTable;
  http: string;
  ws: string;
}

/** Starts a server on a free port with the spec methods plus `extra`. */
export async function startServer(
  opts: { limits?: Partial<RpcLimits>; hub?: SubscriptionHub; health?: HealthCheck; extra?: MethodSpec[]; logger?: RpcLogger; allowedOrigins?: string[] } = {},
): Promise<TestServer> {
  const methods = new MethodTable({ title: 'test', version: '0.0.0' }).registerAll([...SPEC_METHODS, ...(opts.extra ?? [])]);
  const server = createRpcServer(
    { host: '127.0.0.1', port: 0, limits: opts.limits, allowedOrigins: opts.allowedOrigins },
    { methods, hub: opts.hub, health: opts.health, logger: opts.logger },
  );
  const addr = await server.listen();
  return { server, methods, http: `http://127.0.0.1:${addr.port}/`, ws: `ws://127.0.0.1:${addr.port}/` };
}

/** POSTs `body` as application/json; undefined for 204. */
export async function post(url: string, body: string): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
  if (res.status === 204) return undefined;
  return res.json();
}

/** A WebSocket client that queues every message it receives. */
export class WsClient {
  readonly messages: unknown[] = [];
  private waiters: Array<() => void> = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private nextId = 1_000_000;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()));
      this.waiters.splice(0).forEach((w) => w());
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    ws.on('error', () => undefined);
  }

  /** Connects, resolving once open. */
  static async connect(url: string): Promise<WsClient> {
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    return new WsClient(ws);
  }

  /** Removes and returns the first queued message matching `pred`, waiting up to `timeoutMs`. */
  async waitFor(pred: (m: any) => boolean, timeoutMs = 5000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.messages.findIndex(pred);
      if (i >= 0) return this.messages.splice(i, 1)[0];
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a message');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => (clearTimeout(t), resolve()));
      });
    }
  }

  /** The next message received, waiting up to `timeoutMs`. */
  next(timeoutMs = 5000): Promise<any> {
    return this.waitFor(() => true, timeoutMs);
  }

  /** The next subscription notification (params: {subscription, result}). */
  notification(timeoutMs = 5000): Promise<{ subscription: string; result?: any; error?: any }> {
    return this.waitFor((m) => m.method === 'subscription', timeoutMs).then((m) => m.params);
  }

  /** Sends raw text and returns the next message. */
  async raw(text: string): Promise<unknown> {
    this.ws.send(text);
    return this.next();
  }

  /**
   * Sends raw text and returns its response, or undefined when none arrives within `quietMs`
   * (frames are answered concurrently, so absence can only be observed as silence).
   */
  async rawMaybe(text: string, quietMs = 250): Promise<unknown> {
    this.ws.send(text);
    try {
      return await this.next(quietMs);
    } catch {
      return undefined;
    }
  }

  /** Calls a method and returns the whole response object. */
  async call(method: string, params?: unknown): Promise<{ id: number; result?: any; error?: any }> {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, ...(params !== undefined ? { params } : {}) }));
    return this.waitFor((m) => m.id === id);
  }

  /** Closes and waits for the close to complete. */
  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close();
    await this.closed;
  }
}
