/**
 * The p2p wire format: every frame is one canonical msgpack array `[kind, …fields]`
 * (design §10). Consensus messages and blocks travel as the opaque bytes their own modules
 * encode, so this layer never needs to understand them.
 */
import { decode, encode, EncodingError, type Value } from '../core/encoding/index.js';
import { P2PError } from './errors.js';

/** Frame kinds; numbers are wire format, never reused. */
export const Kind = {
  hello: 0,
  auth: 1,
  status: 2,
  tx: 3,
  proposal: 4,
  vote: 5,
  getBlocks: 6,
  blocks: 7,
  evidence: 8,
} as const;

/** Protocol version carried in HELLO; a peer with another version is refused. */
export const PROTOCOL_VERSION = 1;
/** Most blocks one GET_BLOCKS may ask for (and one BLOCKS may carry). */
export const MAX_BLOCKS_PER_REQUEST = 64;

/** A decoded frame. */
export type Message =
  | { kind: 'hello'; version: number; chainId: string; genesisHash: Uint8Array; nodeKey: Uint8Array; challenge: Uint8Array; listenPort: number | null }
  | { kind: 'auth'; signature: Uint8Array }
  | { kind: 'status'; height: number; headHash: Uint8Array }
  | { kind: 'tx'; tx: Uint8Array }
  | { kind: 'proposal'; proposal: Uint8Array; block: Uint8Array }
  | { kind: 'vote'; vote: Uint8Array }
  | { kind: 'getBlocks'; from: number; count: number }
  | { kind: 'blocks'; blocks: Array<{ block: Uint8Array; commit: Uint8Array }> }
  | { kind: 'evidence'; evidence: Uint8Array };

/** Encodes a frame. */
export function encodeMessage(m: Message): Uint8Array {
  const t: Value[] = [Kind[m.kind]];
  switch (m.kind) {
    case 'hello':
      t.push(m.version, m.chainId, m.genesisHash, m.nodeKey, m.challenge, m.listenPort);
      break;
    case 'auth':
      t.push(m.signature);
      break;
    case 'status':
      t.push(m.height, m.headHash);
      break;
    case 'tx':
      t.push(m.tx);
      break;
    case 'proposal':
      t.push(m.proposal, m.block);
      break;
    case 'vote':
      t.push(m.vote);
      break;
    case 'getBlocks':
      t.push(m.from, m.count);
      break;
    case 'blocks':
      t.push(m.blocks.map((b) => [b.block, b.commit]));
      break;
    case 'evidence':
      t.push(m.evidence);
      break;
  }
  return encode(t);
}

const bad = (msg: string) => new P2PError('P2P_BAD_FRAME', `bad frame: ${msg}`, 'penalize');
const isBytes = (v: Value, len?: number): v is Uint8Array => v instanceof Uint8Array && (len === undefined || v.length === len);
const isUint = (v: Value): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Decodes and shape-checks a frame; throws P2PError('P2P_BAD_FRAME', penalize) on anything else. */
export function decodeMessage(bytes: Uint8Array): Message {
  let v: Value;
  try {
    v = decode(bytes);
  } catch (e) {
    if (e instanceof EncodingError) throw bad(e.message);
    throw e;
  }
  if (!Array.isArray(v) || v.length === 0 || !isUint(v[0])) throw bad('expected [kind, …]');
  const f = v;
  const n = (k: number) => {
    if (f.length !== k + 1) throw bad(`kind ${f[0]} takes ${k} fields`);
  };
  switch (f[0]) {
    case Kind.hello: {
      n(6);
      const [, version, chainId, genesisHash, nodeKey, challenge, listenPort] = f;
      if (!isUint(version) || typeof chainId !== 'string' || chainId.length > 64 || !isBytes(genesisHash, 32) || !isBytes(nodeKey, 32) || !isBytes(challenge, 32)) {
        throw bad('hello fields');
      }
      if (listenPort !== null && !(isUint(listenPort) && listenPort <= 65535)) throw bad('hello listenPort');
      return { kind: 'hello', version, chainId, genesisHash, nodeKey, challenge, listenPort };
    }
    case Kind.auth:
      n(1);
      if (!isBytes(f[1], 64)) throw bad('auth signature');
      return { kind: 'auth', signature: f[1] };
    case Kind.status:
      n(2);
      if (!isUint(f[1]) || !isBytes(f[2], 32)) throw bad('status fields');
      return { kind: 'status', height: f[1], headHash: f[2] };
    case Kind.tx:
      n(1);
      if (!isBytes(f[1])) throw bad('tx');
      return { kind: 'tx', tx: f[1] };
    case Kind.proposal:
      n(2);
      if (!isBytes(f[1]) || !isBytes(f[2])) throw bad('proposal');
      return { kind: 'proposal', proposal: f[1], block: f[2] };
    case Kind.vote:
      n(1);
      if (!isBytes(f[1])) throw bad('vote');
      return { kind: 'vote', vote: f[1] };
    case Kind.getBlocks:
      n(2);
      if (!isUint(f[1]) || !isUint(f[2]) || f[2] === 0 || f[2] > MAX_BLOCKS_PER_REQUEST) throw bad('getBlocks range');
      return { kind: 'getBlocks', from: f[1], count: f[2] };
    case Kind.blocks: {
      n(1);
      const list = f[1];
      if (!Array.isArray(list) || list.length > MAX_BLOCKS_PER_REQUEST) throw bad('blocks list');
      const blocks = list.map((b) => {
        if (!Array.isArray(b) || b.length !== 2 || !isBytes(b[0]) || !isBytes(b[1])) throw bad('blocks entry');
        return { block: b[0], commit: b[1] };
      });
      return { kind: 'blocks', blocks };
    }
    case Kind.evidence:
      n(1);
      if (!isBytes(f[1])) throw bad('evidence');
      return { kind: 'evidence', evidence: f[1] };
    default:
      throw new P2PError('P2P_UNKNOWN_KIND', `unknown frame kind ${f[0]}`, 'penalize', { kind: f[0] });
  }
}
