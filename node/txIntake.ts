import { toHex } from '../core/encoding/index.js';
import { MedchainError } from '../core/errors.js';
import type { AddResult, Mempool } from '../core/mempool/index.js';
import type { ChainStore } from '../core/store/index.js';
import { decodeTx } from '../core/tx/index.js';
import type { Logger } from './logger.js';

/**
 * Where accepted transactions enter the node (RPC today, p2p gossip later): admits into the
 * mempool and journals the tx before acknowledging it, so an accepted tx survives a crash
 * (design §12). Blocks remove included txs from the journal in their own atomic batch.
 */
export class TxIntake {
  constructor(
    private readonly mempool: Mempool,
    private readonly store: ChainStore,
    private readonly logger: Logger,
  ) {}

  /** Admits `bytes`; resolves once the tx is pooled and journaled. Throws MempoolError. */
  async add(bytes: Uint8Array): Promise<AddResult> {
    const r = await this.mempool.add(bytes);
    await this.store.journalTx(r.hash, bytes);
    await this.store.unjournalTxs(r.evicted);
    return r;
  }

  /**
   * Re-admits the journal after a restart, each sender's txs in nonce order (so none is
   * refused as a gap), dropping the ones that no longer apply (included, stale).
   */
  async replay(): Promise<{ restored: number; dropped: number }> {
    const entries = await this.store.journaledTxs();
    const decoded: Array<{ hash: Uint8Array; bytes: Uint8Array; sender: string; nonce: number }> = [];
    const drop: Uint8Array[] = [];
    for (const [hash, bytes] of entries) {
      try {
        const tx = decodeTx(bytes);
        decoded.push({ hash, bytes, sender: toHex(tx.sender), nonce: tx.nonce });
      } catch {
        drop.push(hash);
      }
    }
    decoded.sort((a, b) => (a.sender < b.sender ? -1 : a.sender > b.sender ? 1 : a.nonce - b.nonce));
    let restored = 0;
    for (const d of decoded) {
      try {
        await this.mempool.add(d.bytes);
        restored++;
      } catch (e) {
        if (!(e instanceof MedchainError)) throw e;
        drop.push(d.hash);
      }
    }
    await this.store.unjournalTxs(drop);
    if (entries.length > 0) this.logger.info('mempool journal replayed', { restored, dropped: drop.length });
    return { restored, dropped: drop.length };
  }
}
