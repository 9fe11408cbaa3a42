/** The p2p layer's limits, each with why it has its value. */
export interface P2PLimits {
  /** Largest frame accepted (ws maxPayload): one max-size block plus framing. */
  maxFrameBytes: number;
  /** Sustained messages per second a peer may send; gossip under load is a few thousand. */
  msgsPerSecond: number;
  /** Burst allowance above the rate (a proposal plus a round of votes plus a tx burst). */
  msgBurst: number;
  /** Bytes queued to a peer before it counts as stalled and is dropped (never buffer without bound). */
  maxSendBufferBytes: number;
  /** Score at or below which a peer is disconnected and banned. */
  banScore: number;
  /** How long a banned node key is refused. */
  banMs: number;
  /** First redial delay; doubles per failure up to maxDialBackoffMs. */
  dialBackoffMs: number;
  maxDialBackoffMs: number;
  /** A handshake not finished in this time is abandoned (slowloris guard). */
  handshakeTimeoutMs: number;
  /** Most connected peers (inbound + outbound); a consortium has tens of validators. */
  maxPeers: number;
}

/** Defaults (documented in the README of p2p). */
export const DEFAULT_P2P_LIMITS: P2PLimits = {
  maxFrameBytes: 20 * 1024 * 1024,
  msgsPerSecond: 5_000,
  msgBurst: 10_000,
  maxSendBufferBytes: 64 * 1024 * 1024,
  banScore: -100,
  banMs: 60_000,
  dialBackoffMs: 250,
  maxDialBackoffMs: 10_000,
  handshakeTimeoutMs: 5_000,
  maxPeers: 64,
};

/** Score lost per kind of misbehaviour (a peer is dropped after a handful of bad frames). */
export const PENALTY = {
  badFrame: 20,
  invalidData: 25,
  rateLimited: 1,
} as const;
