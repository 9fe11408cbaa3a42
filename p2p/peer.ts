import WebSocket from 'ws';
import { toHex } from '../core/encoding/index.js';
import { TokenBucket } from '../core/ratelimit/tokenBucket.js';
import { P2PError } from './errors.js';
import type { P2PLimits } from './limits.js';
import { encodeMessage, type Message } from './messages.js';

/** WebSocket close codes of the p2p protocol (4000-4999 are for applications). */
export const CLOSE = {
  wrongChain: 4001,
  duplicate: 4002,
  banned: 4003,
  handshake: 4004,
  full: 4005,
  stalled: 1008,
  shutdown: 1001,
} as const;

/** One connection to another node; `key` is known once the handshake is done. */
export class Peer {
  readonly ws: WebSocket;
  readonly direction: 'in' | 'out';
  readonly remote: string;
  /** The peer's node key (after HELLO). */
  key: Uint8Array | undefined;
  /** Port the peer says it listens on (for status display). */
  listenPort: number | null = null;
  /** Our HELLO challenge to it. */
  readonly challenge: Uint8Array;
  state: 'handshake' | 'ready' | 'closed' = 'handshake';
  /** Reputation: invalid data lowers it; at limits.banScore the peer is dropped. */
  score = 0;
  /** Last status the peer announced. */
  height = 0;
  readonly bucket: TokenBucket;
  readonly #limits: P2PLimits;
  #helloReceived = false;

  constructor(ws: WebSocket, direction: 'in' | 'out', remote: string, challenge: Uint8Array, limits: P2PLimits) {
    this.ws = ws;
    this.direction = direction;
    this.remote = remote;
    this.challenge = challenge;
    this.#limits = limits;
    this.bucket = new TokenBucket(limits.msgsPerSecond, limits.msgBurst);
  }

  /** Hex of the node key, or the remote address before the handshake. */
  get id(): string {
    return this.key ? toHex(this.key) : this.remote;
  }

  /** Whether the peer's HELLO has been received (AUTH is only valid after it). */
  get helloReceived(): boolean {
    return this.#helloReceived;
  }

  markHello(): void {
    this.#helloReceived = true;
  }

  /** Sends a message; a peer whose queue exceeds the bound is dropped as stalled. */
  send(m: Message | Uint8Array): void {
    if (this.state === 'closed' || this.ws.readyState !== WebSocket.OPEN) return;
    const bytes = m instanceof Uint8Array ? m : encodeMessage(m);
    if (this.ws.bufferedAmount + bytes.length > this.#limits.maxSendBufferBytes) {
      this.close(CLOSE.stalled, 'send buffer full');
      return;
    }
    this.ws.send(bytes);
  }

  /** Closes the connection with a code and reason. */
  close(code: number, reason: string): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    try {
      this.ws.close(code, reason.slice(0, 120));
    } catch {
      this.ws.terminate();
    }
  }

  /** Throws unless the handshake is done (data before AUTH is a protocol violation). */
  assertReady(): void {
    if (this.state !== 'ready') throw new P2PError('P2P_NOT_READY', 'message before the handshake completed', 'disconnect');
  }
}
