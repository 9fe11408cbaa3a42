/**
 * The p2p network: a WebSocket server for inbound links, dialers (with backoff) for the
 * configured peers, the handshake, per-peer limits and scoring, and gossip with a seen-cache.
 * What messages mean is the node's business: it receives them through `onMessage`.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { sha256 } from '../core/crypto/index.js';
import { toHex } from '../core/encoding/index.js';
import { P2PError } from './errors.js';
import { checkAuth, checkHello, signAuth } from './handshake.js';
import { DEFAULT_P2P_LIMITS, PENALTY, type P2PLimits } from './limits.js';
import { decodeMessage, encodeMessage, PROTOCOL_VERSION, type Message } from './messages.js';
import { CLOSE, Peer } from './peer.js';
import { SeenCache } from './seenCache.js';

/** Gossip ids remembered; several blocks' worth of txs and votes. */
const SEEN_CACHE_SIZE = 200_000;

/** The logger p2p writes to (the node's). */
export interface P2PLogger {
  debug(msg: string, context?: Record<string, unknown>): void;
  info(msg: string, context?: Record<string, unknown>): void;
  warn(msg: string, context?: Record<string, unknown>, error?: unknown): void;
}

/** Options of the network. */
export interface NetworkOptions {
  chainId: string;
  genesisHash: Uint8Array;
  nodeKey: { publicKey: Uint8Array; secretKey: Uint8Array };
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** ws://host:port of peers to keep connected to. */
  peers: readonly string[];
  limits?: Partial<P2PLimits>;
}

/** What the node handles. Throwing a P2PError from onMessage scores the peer per its action. */
export interface NetworkHandlers {
  onMessage(peer: Peer, message: Exclude<Message, { kind: 'hello' | 'auth' }>): void | Promise<void>;
  onPeerUp?(peer: Peer): void;
  onPeerDown?(peer: Peer): void;
  logger: P2PLogger;
}

/** A peer as reported by node_peers. */
export interface PeerInfo {
  id: string;
  direction: 'in' | 'out';
  remote: string;
  height: number;
  score: number;
}

/** The running p2p layer. */
export class Network {
  readonly limits: P2PLimits;
  readonly #opts: NetworkOptions;
  readonly #h: NetworkHandlers;
  readonly #peers = new Set<Peer>();
  readonly #seen = new SeenCache(SEEN_CACHE_SIZE);
  readonly #banned = new Map<string, number>();
  readonly #dialTimers = new Set<NodeJS.Timeout>();
  #http: Server | undefined;
  #wss: WebSocketServer | undefined;
  #stopped = false;

  constructor(opts: NetworkOptions, handlers: NetworkHandlers) {
    this.#opts = opts;
    this.#h = handlers;
    this.limits = { ...DEFAULT_P2P_LIMITS, ...opts.limits };
  }

  /** Listens for inbound peers and starts dialing the configured ones. */
  async start(): Promise<AddressInfo> {
    const http = createServer((_req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain' }).end('medchain p2p: WebSocket only\n');
    });
    const wss = new WebSocketServer({ noServer: true, maxPayload: this.limits.maxFrameBytes, perMessageDeflate: false });
    http.on('upgrade', (req, socket, head) => {
      if (this.#stopped || this.#peers.size >= this.limits.maxPeers) {
        socket.end('HTTP/1.1 503 Service Unavailable\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => this.#attach(ws, 'in', `${req.socket.remoteAddress}:${req.socket.remotePort}`));
    });
    this.#http = http;
    this.#wss = wss;
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(this.#opts.port, this.#opts.host, () => resolve());
    });
    for (const url of this.#opts.peers) this.#dial(url, this.limits.dialBackoffMs, 0);
    return http.address() as AddressInfo;
  }

  /** Ready peers. */
  readyPeers(): Peer[] {
    return [...this.#peers].filter((p) => p.state === 'ready');
  }

  /** node_peers view. */
  peerInfo(): PeerInfo[] {
    return this.readyPeers().map((p) => ({ id: p.id, direction: p.direction, remote: p.remote, height: p.height, score: p.score }));
  }

  /**
   * Gossips a message to every ready peer but `except`, once: returns false (and sends nothing)
   * if the same bytes were already seen.
   */
  broadcast(m: Message, except?: Peer): boolean {
    const bytes = encodeMessage(m);
    if (!this.#seen.add(gossipId(bytes))) return false;
    for (const p of this.#peers) if (p !== except && p.state === 'ready') p.send(bytes);
    return true;
  }

  /** Forwards a message received from `from` to every other ready peer (already marked seen on receipt). */
  relay(m: Message, from: Peer): void {
    const bytes = encodeMessage(m);
    for (const p of this.#peers) if (p !== from && p.state === 'ready') p.send(bytes);
  }

  /** Sends to one peer. */
  send(peer: Peer, m: Message): void {
    peer.send(m);
  }

  /** Lowers a peer's score; at the ban score it is dropped and its key refused for a while. */
  penalize(peer: Peer, amount: number, reason: string): void {
    peer.score -= amount;
    this.#h.logger.debug('peer penalized', { peer: peer.id, amount, score: peer.score, reason });
    if (peer.score <= this.limits.banScore) {
      if (peer.key) this.#banned.set(toHex(peer.key), Date.now() + this.limits.banMs);
      this.#h.logger.warn('peer dropped for invalid data', { peer: peer.id, reason });
      peer.close(CLOSE.banned, reason);
    }
  }

  /** Closes every link and the listener. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const t of this.#dialTimers) clearTimeout(t);
    for (const p of this.#peers) p.close(CLOSE.shutdown, 'shutting down');
    await new Promise<void>((resolve) => (this.#wss ? this.#wss.close(() => resolve()) : resolve()));
    await new Promise<void>((resolve) => (this.#http ? this.#http.close(() => resolve()) : resolve()));
    for (const p of this.#peers) p.ws.terminate();
  }

  #dial(url: string, backoff: number, attempt: number): void {
    if (this.#stopped) return;
    const ws = new WebSocket(url, { maxPayload: this.limits.maxFrameBytes, perMessageDeflate: false, handshakeTimeout: this.limits.handshakeTimeoutMs });
    let opened = false;
    ws.once('open', () => {
      opened = true;
      this.#attach(ws, 'out', url);
    });
    ws.once('close', () => {
      if (this.#stopped) return;
      // Redial: quickly after a link that worked, with growing backoff after failures.
      const next = opened ? this.limits.dialBackoffMs : Math.min(backoff * 2, this.limits.maxDialBackoffMs);
      if (attempt > 0 && !opened && attempt % 10 === 0) this.#h.logger.info('peer unreachable, retrying', { url, attempts: attempt });
      const t = setTimeout(() => {
        this.#dialTimers.delete(t);
        this.#dial(url, next, opened ? 0 : attempt + 1);
      }, jitter(opened ? this.limits.dialBackoffMs : backoff));
      this.#dialTimers.add(t);
    });
    ws.on('error', () => {
      // 'close' follows and schedules the redial; the error itself is expected while a peer is down.
    });
  }

  #attach(ws: WebSocket, direction: 'in' | 'out', remote: string): void {
    const peer = new Peer(ws, direction, remote, new Uint8Array(randomBytes(32)), this.limits);
    this.#peers.add(peer);
    const timer = setTimeout(() => {
      if (peer.state === 'handshake') peer.close(CLOSE.handshake, 'handshake timeout');
    }, this.limits.handshakeTimeoutMs);
    ws.on('message', (data, isBinary) => {
      if (!isBinary) return this.penalize(peer, PENALTY.badFrame, 'text frame');
      void this.#onFrame(peer, new Uint8Array(data as Buffer));
    });
    ws.once('close', () => {
      clearTimeout(timer);
      const wasReady = peer.state === 'ready';
      peer.state = 'closed';
      this.#peers.delete(peer);
      if (wasReady) {
        this.#h.logger.info('peer left', { peer: peer.id, remote: peer.remote });
        this.#h.onPeerDown?.(peer);
      }
    });
    ws.on('error', () => {
      // 'close' follows; per-connection errors (resets, oversized frames) end only this link.
    });
    peer.send({
      kind: 'hello',
      version: PROTOCOL_VERSION,
      chainId: this.#opts.chainId,
      genesisHash: this.#opts.genesisHash,
      nodeKey: this.#opts.nodeKey.publicKey,
      challenge: peer.challenge,
      listenPort: (this.#http?.address() as AddressInfo | null)?.port ?? null,
    });
  }

  async #onFrame(peer: Peer, bytes: Uint8Array): Promise<void> {
    if (peer.state === 'closed') return;
    if (!peer.bucket.tryTake()) return this.penalize(peer, PENALTY.rateLimited, 'rate limit');
    try {
      const m = decodeMessage(bytes);
      if (m.kind === 'hello') return this.#onHello(peer, m);
      if (m.kind === 'auth') return this.#onAuth(peer, m.signature);
      peer.assertReady();
      if (m.kind === 'status') peer.height = Math.max(peer.height, m.height);
      // Gossip kinds are deduplicated by their exact bytes before the node sees them.
      if ((m.kind === 'tx' || m.kind === 'vote' || m.kind === 'proposal' || m.kind === 'evidence') && !this.#seen.add(gossipId(bytes))) return;
      await this.#h.onMessage(peer, m);
    } catch (e) {
      if (!(e instanceof P2PError)) {
        this.#h.logger.warn('p2p handler failed', { peer: peer.id }, e);
        return;
      }
      if (e.action === 'disconnect') {
        this.#h.logger.info('peer refused', { peer: peer.id, remote: peer.remote, reason: e.message });
        peer.close(e.code === 'P2P_WRONG_CHAIN' ? CLOSE.wrongChain : CLOSE.handshake, e.message);
      } else if (e.action === 'penalize') this.penalize(peer, PENALTY.invalidData, e.message);
    }
  }

  #onHello(peer: Peer, m: Extract<Message, { kind: 'hello' }>): void {
    if (peer.helloReceived) throw new P2PError('P2P_HANDSHAKE_FAILED', 'second hello', 'disconnect');
    checkHello(m, { chainId: this.#opts.chainId, genesisHash: this.#opts.genesisHash, nodeKey: this.#opts.nodeKey.publicKey });
    const key = toHex(m.nodeKey);
    const until = this.#banned.get(key);
    if (until !== undefined && until > Date.now()) throw new P2PError('P2P_HANDSHAKE_FAILED', 'peer is banned', 'disconnect');
    peer.key = m.nodeKey;
    peer.listenPort = m.listenPort;
    peer.markHello();
    peer.send({ kind: 'auth', signature: signAuth(this.#opts.chainId, this.#opts.genesisHash, m.challenge, this.#opts.nodeKey) });
  }

  #onAuth(peer: Peer, signature: Uint8Array): void {
    if (!peer.helloReceived || !peer.key || peer.state !== 'handshake') throw new P2PError('P2P_HANDSHAKE_FAILED', 'auth out of order', 'disconnect');
    checkAuth(this.#opts.chainId, this.#opts.genesisHash, peer.challenge, peer.key, signature);
    // Two links to one node (both dialed): keep the one dialed by the smaller key, on both sides.
    const id = toHex(peer.key);
    const other = this.readyPeers().find((p) => p.id === id);
    if (other) {
      const ours = toHex(this.#opts.nodeKey.publicKey);
      const keepOutbound = ours < id;
      const drop = (peer.direction === 'out') === keepOutbound ? other : peer;
      drop.close(CLOSE.duplicate, 'duplicate link');
      if (drop === peer) return;
    }
    peer.state = 'ready';
    this.#h.logger.info('peer joined', { peer: id, remote: peer.remote, direction: peer.direction });
    this.#h.onPeerUp?.(peer);
  }
}

/** Id of a gossiped frame: its hash, as a Map key. */
function gossipId(bytes: Uint8Array): string {
  return toHex(sha256(bytes));
}

/** ±20% jitter so redials of many nodes don't synchronise. */
function jitter(ms: number): number {
  return Math.round(ms * (0.8 + Math.random() * 0.4));
}
