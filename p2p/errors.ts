import { MedchainError } from '../core/errors.js';

/** What the network does about a peer that caused an error. */
export type PeerAction = 'ignore' | 'penalize' | 'disconnect';

/** p2p error codes. */
export type P2PErrorCode =
  | 'P2P_BAD_FRAME'
  | 'P2P_UNKNOWN_KIND'
  | 'P2P_HANDSHAKE_FAILED'
  | 'P2P_WRONG_CHAIN'
  | 'P2P_RATE_LIMITED'
  | 'P2P_NOT_READY'
  | 'P2P_SELF';

/**
 * A p2p error; `action` says whether to ignore the message, score the peer down, or drop it
 * (style: p2p errors say whether to ignore or penalise the peer).
 */
export class P2PError extends MedchainError<P2PErrorCode> {
  readonly action: PeerAction;

  constructor(code: P2PErrorCode, message: string, action: PeerAction, context: Record<string, unknown> = {}) {
    super(code, message, context);
    this.action = action;
  }
}
