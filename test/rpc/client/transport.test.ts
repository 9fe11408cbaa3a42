/**
 * Opening connections: a server that accepts TCP but never answers the upgrade times out
 * cleanly (no stray 'error' crash from `ws`), bad URLs are CLIENT_BAD_INPUT, and without a
 * global or injected WebSocket the client says how to fix it.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { WebSocket } from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import { createClient, resolveWebSocket } from '../../../rpc/client/index.js';

const sockets: Socket[] = [];
let silent: Server | undefined;
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => (silent ? silent.close(() => r()) : r()));
});

describe('client transport', () => {
  it('times out a connection whose upgrade is never answered, without crashing', async () => {
    silent = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent!.listen(0, '127.0.0.1', () => r()));
    const port = (silent.address() as { port: number }).port;
    await expect(createClient(`ws://127.0.0.1:${port}`, { WebSocket, connectTimeoutMs: 100 })).rejects.toMatchObject({ code: 'CLIENT_TIMEOUT' });
    // ws emits 'error' for the aborted handshake on the next tick: it must find a listener
    await new Promise((r) => setTimeout(r, 100));
  });

  it('answers a malformed URL with CLIENT_BAD_INPUT', async () => {
    await expect(createClient('not a url', { WebSocket })).rejects.toMatchObject({ code: 'CLIENT_BAD_INPUT' });
  });

  it('uses the injected constructor, else the global one, else says what to pass', () => {
    expect(resolveWebSocket(WebSocket)).toBe(WebSocket);
    const g = globalThis as { WebSocket?: unknown };
    if (g.WebSocket) expect(resolveWebSocket()).toBe(g.WebSocket);
    else expect(() => resolveWebSocket()).toThrow(expect.objectContaining({ code: 'CLIENT_NO_WEBSOCKET', message: expect.stringMatching(/import \{ WebSocket \} from "ws"/) }));
  });
});
