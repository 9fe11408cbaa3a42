/**
 * Reports equivocation on chain (README "A consortium network"): a tx from this node's key to
 * core/execution's EVIDENCE_ADDRESS calling `reportEquivocation(vote1, vote2)`, admitted and
 * gossiped like any tx. Once per offence, and not when the offence is recorded already.
 */
import type { Validator } from '../core/block/index.js';
import type { Chain } from '../core/chain/index.js';
import { encodeVote, type Evidence } from '../core/consensus/index.js';
import { toHex } from '../core/encoding/index.js';
import { EVIDENCE_ADDRESS, EVIDENCE_METHOD, evidenceSlot } from '../core/execution/index.js';
import type { Mempool } from '../core/mempool/index.js';
import { encodeTx, signTx } from '../core/tx/index.js';
import type { KeyPair } from './keyFile.js';
import type { Logger } from './logger.js';

/** Gas limit of a report tx: the handler's EVIDENCE_GAS plus the envelope's intrinsic gas, with room. */
const EVIDENCE_TX_GAS = 100_000;

/** Offences remembered as reported, so a flood of duplicate votes makes one report each. */
const MAX_REPORTED = 1_024;

/** Turns detected equivocation into report txs signed by this node's key. */
export class EvidenceReporter {
  /** (validator, height, round, step) of offences already reported. */
  readonly #reported = new Set<string>();

  constructor(
    private readonly deps: {
      chain: Chain;
      mempool: Mempool;
      key: KeyPair;
      logger: Logger;
      /** Admits a tx this node signed (journaled, then gossiped). */
      submitTx(bytes: Uint8Array): Promise<unknown>;
    },
  ) {}

  /** Reports `ev` by `offender` (the set member at its validator index), unless reported or recorded already. */
  async report(ev: Evidence, offender: Validator): Promise<void> {
    const { chain, mempool, key, logger } = this.deps;
    const { height, round, type } = ev.vote1;
    const id = `${toHex(offender.address)}/${height}/${round}/${type}`;
    if (this.#reported.has(id)) return;
    if (this.#reported.size >= MAX_REPORTED) this.#reported.clear();
    this.#reported.add(id);
    if (chain.stateAt().getStorage(EVIDENCE_ADDRESS, evidenceSlot(offender.address, height, round, type))) return;
    const tx = signTx(
      {
        chainId: chain.spec.chainId,
        nonce: mempool.pendingNonce(key.address),
        sender: key.publicKey,
        to: EVIDENCE_ADDRESS,
        method: EVIDENCE_METHOD,
        args: [encodeVote(ev.vote1), encodeVote(ev.vote2)],
        gasLimit: EVIDENCE_TX_GAS,
      },
      key.secretKey,
    );
    await this.deps.submitTx(encodeTx(tx));
    logger.info('reported equivocation on chain', { validator: toHex(offender.address), height, round, step: type });
  }
}
