/**
 * `npm run bench -- rpc` (issue 5): requests/s and p50/p99 latency of the JSON-RPC server over
 * WebSocket with 1 and 32 concurrent clients, and the `tx_send` admission rate, each against a
 * raw `ws` echo server measured in the same run (the transport's own cost).
 *
 * The server under test runs in a worker thread and the clients in the main thread, so server
 * and load generator do not share one event loop. Each client keeps one request in flight
 * (closed loop). Two targets: the framework alone, with STAND-IN handlers (a constant object,
 * a Map lookup, a SHA-256 of the tx bytes), and a real dev node process (`medchain dev
 * --rpc-rate off`) answering the real `chain_getInfo` and `state_getAccount` from its chain.
 * Real `tx_send` admission (signature check, mempool, journal) is measured by the load suite
 * (`npm run bench -- load`, "accepted tx/s"), which has funded senders to send from.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import WebSocket, { WebSocketServer } from 'ws';
import { createRpcServer, MethodTable, type MethodSpec } from '../../rpc/index.js';
import { compareTo, figure, type Figure, type Suite } from '../figure.js';
import { printFigure } from '../measure.js';

/** Length of one measured run; long enough for a few thousand round trips at 1 client. */
const RUN_MS = 800;
/** Unmeasured run before the repeats (JIT warm-up, TCP slow start). */
const WARMUP_MS = 300;
/** Runs per workload, interleaved; figures are the median over them. */
const REPEATS = 5;
/** Client counts of issue 5. */
const CLIENTS: readonly number[] = [1, 32];
/** Accounts in the stand-in state (a Map, as a cache-hot account lookup). */
const ACCOUNTS = 1_000;
/** Size of the stand-in signed tx: the design §4 transfer vector is 154 bytes. */
const TX_BYTES = 154;

type Role = 'echo' | 'rpc';

// ---- server side (worker thread) ----

const hex = (b: Buffer) => '0x' + b.toString('hex');
const addressOf = (i: number) => hex(createHash('sha256').update(`bench/rpc/account/${i}`).digest().subarray(0, 20));

/** The stand-in methods (see the header). */
function standInMethods(): MethodSpec[] {
  const accounts = new Map<string, { nonce: number; balance: string; codeHash: string | null }>();
  for (let i = 0; i < ACCOUNTS; i++) accounts.set(addressOf(i), { nonce: i, balance: String(1_000_000 + i), codeHash: null });
  const info = { chainId: 'medchain-dev', height: 123_456, headHash: hex(Buffer.alloc(32, 7)), finalizedHeight: 123_456, validators: 4, version: '0.1.0' };
  const address = { type: 'string', pattern: '^0x[0-9a-fA-F]{40}$', maxLength: 42 } as const;
  return [
    { name: 'chain_getInfo', summary: 'stand-in', params: [], result: { name: 'info', schema: { type: 'object' } }, handler: () => info },
    {
      name: 'state_getAccount',
      summary: 'stand-in',
      params: [{ name: 'address', schema: address, required: true }],
      result: { name: 'account', schema: { type: 'object' } },
      handler: ({ address: a }: { address: string }) => ({ address: a, ...(accounts.get(a.toLowerCase()) ?? { nonce: 0, balance: '0', codeHash: null }) }),
    },
    {
      name: 'tx_send',
      summary: 'stand-in',
      params: [{ name: 'tx', schema: { type: 'string', pattern: '^0x([0-9a-fA-F]{2})+$', maxLength: 2 + 2 * 65_536 }, required: true }],
      result: { name: 'hash', schema: { type: 'string' } },
      handler: ({ tx }: { tx: string }) => hex(createHash('sha256').update(Buffer.from(tx.slice(2), 'hex')).digest()),
    },
  ];
}

async function serveInWorker(role: Role): Promise<void> {
  let close: () => Promise<void>;
  let port: number;
  if (role === 'echo') {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
    wss.on('connection', (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })));
    await new Promise((r) => wss.once('listening', r));
    port = (wss.address() as { port: number }).port;
    close = () => new Promise((r) => wss.close(() => r()));
  } else {
    const methods = new MethodTable().registerAll(standInMethods());
    // the rate limit is lifted: the benchmark measures the framework, not the limiter's refusals
    const server = createRpcServer({ host: '127.0.0.1', port: 0, limits: { requestsPerSecond: Infinity } }, { methods });
    port = (await server.listen()).port;
    close = () => server.close();
  }
  parentPort!.on('message', async (m) => {
    if (m === 'close') {
      await close();
      parentPort!.postMessage('closed');
    }
  });
  parentPort!.postMessage({ port });
}

if (!isMainThread && (workerData as { role?: Role } | undefined)?.role) void serveInWorker((workerData as { role: Role }).role);

// ---- client side (main thread) ----

interface RunResult {
  rps: number;
  p50: number;
  p99: number;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Runs `clients` closed-loop clients for `ms`, each sending `request(i)` texts; returns throughput and latency. */
async function drive(url: string, clients: number, ms: number, request: (n: number) => string): Promise<RunResult> {
  const sockets = await Promise.all(
    Array.from({ length: clients }, () => new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false });
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    })),
  );
  const latencies: number[] = [];
  let completed = 0;
  const deadline = performance.now() + ms;
  await Promise.all(
    sockets.map(
      (ws) =>
        new Promise<void>((resolve, reject) => {
          let n = 0;
          let sentAt = 0;
          const sendNext = () => {
            sentAt = performance.now();
            ws.send(request(n++));
          };
          ws.on('message', (data) => {
            const now = performance.now();
            const msg = JSON.parse(data.toString()) as { error?: unknown };
            if (msg.error) return reject(new Error(`benchmark request failed: ${JSON.stringify(msg.error)}`));
            latencies.push(now - sentAt);
            completed++;
            if (now < deadline) sendNext();
            else resolve();
          });
          sendNext();
        }),
    ),
  );
  const elapsed = ms + Math.max(0, performance.now() - deadline);
  await Promise.all(sockets.map((ws) => new Promise((r) => (ws.once('close', r), ws.close()))));
  const sorted = Float64Array.from(latencies).sort();
  return { rps: (completed / elapsed) * 1000, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

/** A server in a worker thread; `stop()` closes it. */
async function startWorker(role: Role): Promise<{ url: string; stop(): Promise<void> }> {
  const worker = new Worker(new URL(import.meta.url), { workerData: { role } });
  const { port } = await new Promise<{ port: number }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    url: `ws://127.0.0.1:${port}/`,
    stop: async () => {
      worker.postMessage('close');
      await new Promise((r) => worker.once('message', r));
      await worker.terminate();
    },
  };
}

/** A real dev node process with the RPC rate limit lifted; `stop()` ends it and deletes its data. */
async function startDevNode(): Promise<{ url: string; stop(): Promise<void> }> {
  const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'node', 'cli.js');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'medchain-bench-rpc-'));
  const child: ChildProcess = spawn(process.execPath, [cli, 'dev', '--data-dir', dir, '--rpc-port', '0', '--rpc-rate', 'off'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const on = (d: Buffer) => {
      out += d;
      const m = /rpc listening url=(ws:\/\/[^\s]+)/.exec(out);
      if (m) resolve(m[1] + '/');
    };
    child.stdout!.on('data', on);
    child.stderr!.on('data', on);
    child.once('exit', (code) => reject(new Error(`dev node exited with ${code}: ${out}`)));
  });
  return {
    url,
    stop: async () => {
      await new Promise((r) => (child.once('exit', r), child.kill('SIGTERM')));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One workload: a name, the server it targets, its client count and request texts. */
interface Workload {
  name: string;
  url: string;
  clients: number;
  request: (n: number) => string;
  runs: RunResult[];
  reference?: Workload;
}

/** Three figures (req/s, p50, p99) of a workload's runs. */
function figuresOf(w: Workload): Figure[] {
  return [
    figure(`${w.name} — req/s`, 'req/s', w.runs.map((r) => r.rps)),
    figure(`${w.name} — p50 latency`, 'ms', w.runs.map((r) => r.p50), { higherIsBetter: false }),
    figure(`${w.name} — p99 latency`, 'ms', w.runs.map((r) => r.p99), { higherIsBetter: false }),
  ];
}

const rpcRequest = (method: string, params: (n: number) => unknown[]) => (n: number) => JSON.stringify({ jsonrpc: '2.0', id: n, method, params: params(n) });

/** The suite. */
export const run: Suite = async () => {
  console.log('  "stand-in" rows: the framework with constant handlers; "dev node" rows: a real dev node process answering from its chain');
  console.log(`  servers in worker threads; ${os.cpus().length} cores shared with the load generator; load average ${os.loadavg()[0].toFixed(2)}`);
  const addresses = Array.from({ length: ACCOUNTS }, (_, i) => addressOf(i));
  const tx = '0x' + createHash('sha256').update('bench/rpc/tx').digest('hex').repeat(5).slice(0, 2 * TX_BYTES);
  const getInfo = rpcRequest('chain_getInfo', () => []);
  const getAccount = rpcRequest('state_getAccount', (n) => [addresses[n % ACCOUNTS]]);
  const txSend = rpcRequest('tx_send', () => [tx]);
  const echo = await startWorker('echo');
  const rpc = await startWorker('rpc');
  const node = await startDevNode();
  try {
    const plural = (c: number) => `${c} client${c > 1 ? 's' : ''}`;
    const refs = new Map(CLIENTS.map((c) => [c, { name: `raw ws echo, ${plural(c)} (reference)`, url: echo.url, clients: c, request: getInfo, runs: [] } as Workload]));
    const workloads: Workload[] = [...refs.values()];
    const add = (label: string, request: (n: number) => string, c: number) =>
      workloads.push({ name: `medchain ${label}, ${plural(c)}`, url: rpc.url, clients: c, request, runs: [], reference: refs.get(c) });
    for (const c of CLIENTS) add('chain_getInfo (stand-in)', getInfo, c);
    for (const c of CLIENTS) add('state_getAccount (stand-in)', getAccount, c);
    add('tx_send admission (stand-in)', txSend, 32);
    const real = (label: string, request: (n: number) => string, c: number) =>
      workloads.push({ name: `dev node ${label}, ${plural(c)}`, url: node.url, clients: c, request, runs: [], reference: refs.get(c) });
    const devAddresses = await devAccounts(node.url);
    const realAccount = rpcRequest('state_getAccount', (n) => [devAddresses[n % devAddresses.length]]);
    for (const c of CLIENTS) real('chain_getInfo', getInfo, c);
    for (const c of CLIENTS) real('state_getAccount', realAccount, c);
    for (const w of workloads) await drive(w.url, w.clients, WARMUP_MS, w.request);
    // Repeats are interleaved across workloads so that load from other processes on the
    // machine falls on references and subjects alike.
    for (let i = 0; i < REPEATS; i++) for (const w of workloads) w.runs.push(await drive(w.url, w.clients, RUN_MS, w.request));
    const figures: Figure[] = [];
    for (const w of workloads) {
      const figs = figuresOf(w);
      if (w.reference) {
        const ref = figuresOf(w.reference);
        figs.forEach((f, j) => compareTo(f, ref[j]));
      }
      figs.forEach((f) => printFigure(f));
      figures.push(...figs);
    }
    return figures;
  } finally {
    await echo.stop();
    await rpc.stop();
    await node.stop();
  }
};

/** Existing accounts of the running dev chain: its validator and the genesis contracts (from chain_getInfo). */
async function devAccounts(url: string): Promise<string[]> {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
  const info = await new Promise<{ validators: string[]; contracts: Record<string, string> }>((resolve) => {
    ws.once('message', (d) => resolve((JSON.parse(String(d)) as { result: { validators: string[]; contracts: Record<string, string> } }).result));
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'chain_getInfo' }));
  });
  ws.close();
  return [...info.validators, ...Object.values(info.contracts)];
}
