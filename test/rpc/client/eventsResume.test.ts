/**
 * `events` subscriptions across a reconnect, against the real RPC server framework in process
 * (the dev node cannot replay events yet): the client resumes with `fromHeight` = the last
 * height it saw, drops the replayed duplicates and misses nothing; against a node that cannot
 * replay, it carries on live and counts the gap.
 */
import { WebSocket } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { createRpcServer, MethodTable, SubscriptionHub, type ChainEvent, type RpcServer } from '../../../rpc/index.js';
import { createClient, type ChainEventNotification, type MedchainClient, type Subscription } from '../../../rpc/client/index.js';
import { freePort } from '../../fixtures/freePort.js';

const CONTRACT = '0x' + 'ab'.repeat(20);
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** A chain stand-in: an event log, a head height, and a server over them that can be restarted. */
function fakeChain(port: number, canReplay: boolean) {
  const log: ChainEvent[] = [];
  let height = 0;
  let server: RpcServer | undefined;
  let hub: SubscriptionHub | undefined;
  const start = async () => {
    hub = new SubscriptionHub(canReplay ? { replayEvents: (_f, from) => log.filter((e) => e.height >= from) } : {});
    const methods = new MethodTable({ title: 'fake', version: '0' });
    methods.register({ name: 'chain_getInfo', summary: 'head height', params: [], result: { name: 'info', schema: { type: 'object' } }, handler: () => ({ chainId: 'fake', height }) });
    server = createRpcServer({ host: '127.0.0.1', port }, { methods, hub });
    await server.listen();
  };
  return {
    start,
    stop: async () => {
      await server?.close();
      server = undefined;
    },
    /** Appends an event to the chain; published live only while a server runs. */
    emit: (h: number, index: number) => {
      const e: ChainEvent = { height: h, index, contract: CONTRACT, event: 'Granted', data: { n: h * 10 + index }, txHash: '0x' + '00'.repeat(32) };
      log.push(e);
      height = Math.max(height, h);
      if (server) hub!.publish('events', e);
    },
  };
}

async function take(sub: Subscription<ChainEventNotification>, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await sub.next();
    if (r.done) throw new Error('subscription ended');
    out.push(`${r.value.height}.${r.value.index}`);
  }
  return out;
}

async function connect(port: number): Promise<MedchainClient> {
  const client = await createClient(`ws://127.0.0.1:${port}`, { WebSocket, reconnect: { initialDelayMs: 20, maxDelayMs: 100 } });
  cleanup.push(() => client.close());
  return client;
}

describe('events subscription resume', () => {
  it('resumes from the last seen height: replayed duplicates dropped, events made while away delivered once', async () => {
    const port = await freePort();
    const chain = fakeChain(port, true);
    await chain.start();
    cleanup.push(chain.stop);
    const client = await connect(port);
    const sub = client.subscribe('events', { contract: CONTRACT });
    await sub.ready;
    chain.emit(1, 0);
    chain.emit(1, 1);
    chain.emit(2, 0);
    expect(await take(sub, 3)).toEqual(['1.0', '1.1', '2.0']);

    await chain.stop();
    await expect.poll(() => client.state).toBe('reconnecting');
    chain.emit(2, 1); // while the client is away
    chain.emit(3, 0);
    await chain.start();
    chain.emit(4, 0); // live again (or replayed, if it lands before the re-subscription)
    expect(await take(sub, 3)).toEqual(['2.1', '3.0', '4.0']);
    expect(sub.resumeGaps).toBe(0);
    chain.emit(5, 0);
    expect(await take(sub, 1)).toEqual(['5.0']);
    expect(sub.buffered).toBe(0);
  });

  it('resumes from the head height at subscribe time when no event had arrived yet', async () => {
    const port = await freePort();
    const chain = fakeChain(port, true);
    chain.emit(7, 0); // history before the subscription: not delivered
    await chain.start();
    cleanup.push(chain.stop);
    const client = await connect(port);
    const sub = client.subscribe('events');
    await sub.ready;
    await chain.stop();
    await expect.poll(() => client.state).toBe('reconnecting');
    chain.emit(8, 0);
    await chain.start();
    expect(await take(sub, 1)).toEqual(['8.0']);
  });

  it('on a node that cannot replay, carries on live-only and counts the gap', async () => {
    const port = await freePort();
    const chain = fakeChain(port, false);
    await chain.start();
    cleanup.push(chain.stop);
    const client = await connect(port);
    const sub = client.subscribe('events');
    await sub.ready;
    chain.emit(1, 0);
    expect(await take(sub, 1)).toEqual(['1.0']);
    const idBefore = sub.id;

    await chain.stop();
    await expect.poll(() => client.state).toBe('reconnecting');
    chain.emit(2, 0); // missed: nobody can replay it
    await chain.start();
    await expect.poll(() => sub.id !== undefined && sub.id !== idBefore, { timeout: 5_000 }).toBe(true);
    expect(sub.resumeGaps).toBe(1);
    chain.emit(3, 0);
    expect(await take(sub, 1)).toEqual(['3.0']);
  });

  it('refuses fromHeight on a node that cannot replay, when the caller asked for it', async () => {
    const port = await freePort();
    const chain = fakeChain(port, false);
    await chain.start();
    cleanup.push(chain.stop);
    const client = await connect(port);
    const sub = client.subscribe('events', { fromHeight: 0 });
    await expect(sub.ready).rejects.toMatchObject({ reason: 'invalid_params', data: { param: 'options.fromHeight' } });
    await expect(sub.next()).rejects.toMatchObject({ reason: 'invalid_params' });
  });
});
