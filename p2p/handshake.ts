/**
 * The handshake (design §10): each side sends HELLO with a fresh random challenge, then AUTH
 * = its node key's signature over the peer's challenge, bound to chain id and genesis hash
 * under the `medchain/hello/v1` domain — so a node proves it holds its key, a recorded AUTH
 * can't be replayed to another node or chain, and a wrong chain is refused before any data.
 */
import { DOMAIN_HELLO, signDomain, verifyDomain } from '../core/crypto/index.js';
import { encode, equalBytes, toHex } from '../core/encoding/index.js';
import { P2PError } from './errors.js';
import { PROTOCOL_VERSION, type Message } from './messages.js';

type Hello = Extract<Message, { kind: 'hello' }>;

/** The bytes an AUTH signs: the peer's challenge and the signer's own identity, on this chain. */
function authPayload(chainId: string, genesisHash: Uint8Array, challenge: Uint8Array, signerKey: Uint8Array): Uint8Array {
  return encode([chainId, genesisHash, challenge, signerKey]);
}

/** Checks a peer's HELLO against our chain; throws P2PError (disconnect) naming the mismatch. */
export function checkHello(hello: Hello, ours: { chainId: string; genesisHash: Uint8Array; nodeKey: Uint8Array }): void {
  if (hello.version !== PROTOCOL_VERSION) {
    throw new P2PError('P2P_HANDSHAKE_FAILED', `peer speaks protocol ${hello.version}, we speak ${PROTOCOL_VERSION}`, 'disconnect');
  }
  if (hello.chainId !== ours.chainId) {
    throw new P2PError('P2P_WRONG_CHAIN', `peer is on chain "${hello.chainId}", we are on "${ours.chainId}"`, 'disconnect', {
      theirs: hello.chainId,
    });
  }
  if (!equalBytes(hello.genesisHash, ours.genesisHash)) {
    throw new P2PError('P2P_WRONG_CHAIN', `peer has genesis ${toHex(hello.genesisHash)}, ours is ${toHex(ours.genesisHash)}`, 'disconnect', {
      theirs: toHex(hello.genesisHash),
    });
  }
  if (equalBytes(hello.nodeKey, ours.nodeKey)) throw new P2PError('P2P_SELF', 'connected to ourselves', 'disconnect');
}

/** Our AUTH answer to the peer's challenge. */
export function signAuth(chainId: string, genesisHash: Uint8Array, peerChallenge: Uint8Array, ownKey: { publicKey: Uint8Array; secretKey: Uint8Array }): Uint8Array {
  return signDomain(DOMAIN_HELLO, authPayload(chainId, genesisHash, peerChallenge, ownKey.publicKey), ownKey.secretKey);
}

/** Verifies the peer's AUTH over our challenge; throws P2PError (disconnect) if it fails. */
export function checkAuth(chainId: string, genesisHash: Uint8Array, ourChallenge: Uint8Array, peerKey: Uint8Array, signature: Uint8Array): void {
  if (!verifyDomain(DOMAIN_HELLO, authPayload(chainId, genesisHash, ourChallenge, peerKey), signature, peerKey)) {
    throw new P2PError('P2P_HANDSHAKE_FAILED', 'peer failed to prove its node key', 'disconnect', { peer: toHex(peerKey) });
  }
}
