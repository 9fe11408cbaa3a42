/**
 * The generator's own accounts: fresh random keys funded from the dev accounts by ordinary
 * transfers, so every run starts from nonce 0 on any dev chain, spawned or long-running.
 */
import { devKey, DEV_KEY_COUNT, generateSecretKey } from '../../core/crypto/index.js';
import { fromHex, toHex } from '../../core/encoding/index.js';
import { DEFAULT_MAX_PER_SENDER } from '../../core/mempool/index.js';
import { LoadError } from './errors.js';
import type { RpcConnection } from './rpcConnection.js';
import { FastSigner } from './signer.js';
import { SETUP_WAVE, TRANSFER_GAS_LIMIT, type Sender, type SetupReceipt, type SetupTx } from './workloads/index.js';

/**
 * Txs a sender should have pooled at once: half the mempool's per-sender cap (64), so a slow
 * block never pushes a sender into `sender_limit` refusals that the generator would cause itself.
 */
export const TARGET_POOLED_PER_SENDER = DEFAULT_MAX_PER_SENDER / 2;
/**
 * Send→final budget used to size the sender set: a block interval plus a slow block on a shared
 * 2-core machine. The pool holds about rate × this many of our txs.
 */
export const EXPECTED_LATENCY_S = 2;
/** Fewest senders: the block packer round-robins senders, so a handful would under-fill blocks. */
export const MIN_SENDERS = 64;
/** Most senders chosen automatically: funding costs one transfer each. */
export const MAX_SENDERS = 4096;
/** Funding per sender: 10^7 of the dev accounts' 10^12, enough for 10^7 one-unit load transfers. */
export const FUND_AMOUNT = 10_000_000;
/** tx_wait timeout for setup txs: generous for a loaded machine. */
const SETUP_WAIT_MS = 60_000;

/** Senders for a steady `rate` (tx/s), or for a closed loop holding `maxPending` unfinal txs. */
export function senderCountFor(rate: number | 'max', maxPending: number): number {
  const pooled = rate === 'max' ? maxPending : rate * EXPECTED_LATENCY_S;
  return Math.min(MAX_SENDERS, Math.max(MIN_SENDERS, Math.ceil(pooled / TARGET_POOLED_PER_SENDER)));
}

/** `n` fresh senders with random keys (never reused across runs, so nonces start at 0). */
export function createSenders(n: number): Sender[] {
  return Array.from({ length: n }, () => {
    const seed = generateSecretKey();
    const signer = new FastSigner(seed);
    return { seed, signer, address: toHex(signer.address), nextNonce: 0 };
  });
}

/**
 * A generator that signs and submits setup txs, then waits for each to be final and ok. Given
 * several connections it spreads the work over them (each is paced under the server's
 * per-connection rate, which bounds a large setup); a signer's txs always go out on one
 * connection, in nonce order, so none arrives ahead of its predecessor.
 */
export function setupSubmitter(rpcs: RpcConnection | readonly RpcConnection[], chainId: string): (txs: SetupTx[]) => Promise<SetupReceipt[]> {
  const conns: readonly RpcConnection[] = rpcs instanceof Array ? rpcs : [rpcs as RpcConnection];
  const connOf = new Map<string, RpcConnection>();
  let next = 0;
  return async (txs) => {
    const hashes: Promise<string>[] = [];
    for (const { from, body } of txs) {
      const signed = from.signer.sign({ chainId, nonce: from.nextNonce++, sender: from.signer.publicKey, ...body });
      const rpc = connOf.get(from.address) ?? conns[next++ % conns.length];
      connOf.set(from.address, rpc);
      hashes.push(
        rpc.call<string>('tx_send', ['0x' + signed.bytes.toString('hex')]).catch((e: Error) => {
          throw new LoadError('LOAD_SETUP_FAILED', `setup tx from ${from.address} (${body.method}) refused: ${e.message}`, { method: body.method });
        }),
      );
    }
    const receipts = await Promise.all(
      hashes.map(async (h, i) => {
        const hash = await h;
        const r = await conns[i % conns.length].call<Omit<SetupReceipt, 'hash'> | null>('tx_wait', [hash, SETUP_WAIT_MS]);
        if (r === null) throw new LoadError('LOAD_SETUP_FAILED', `setup tx ${hash} not final within ${SETUP_WAIT_MS} ms`, { hash });
        return { hash, ...r };
      }),
    );
    const failed = receipts.find((r) => r.status !== 'ok');
    if (failed) throw new LoadError('LOAD_SETUP_FAILED', `setup tx ${failed.hash} ${failed.status}: ${failed.error ?? ''}`, { hash: failed.hash });
    return receipts;
  };
}

/** The dev accounts as senders, with their current nonces. */
export async function devSenders(rpc: RpcConnection): Promise<Sender[]> {
  return Promise.all(
    Array.from({ length: DEV_KEY_COUNT }, async (_, i) => {
      const seed = devKey(i).secretKey;
      const signer = new FastSigner(seed);
      const address = toHex(signer.address);
      const account = await rpc.call<{ nonce: number }>('state_getAccount', [address]);
      return { seed, signer, address, nextNonce: account.nonce };
    }),
  );
}

/** Funds every sender with FUND_AMOUNT from the dev accounts, in waves under the per-sender cap. */
export async function fundSenders(
  rpc: RpcConnection,
  submit: (txs: SetupTx[]) => Promise<SetupReceipt[]>,
  senders: readonly Sender[],
  log: (m: string) => void,
): Promise<void> {
  const devs = await devSenders(rpc);
  const perDev = devs.map((_, d) => senders.filter((_, i) => i % devs.length === d));
  const started = performance.now();
  for (let wave = 0; ; wave++) {
    const txs: SetupTx[] = [];
    perDev.forEach((list, d) => {
      for (const s of list.slice(wave * SETUP_WAVE, (wave + 1) * SETUP_WAVE)) {
        txs.push({ from: devs[d], body: { to: fromHex(s.address, 20), method: 'transfer', args: [FUND_AMOUNT], gasLimit: TRANSFER_GAS_LIMIT } });
      }
    });
    if (txs.length === 0) break;
    await submit(txs);
  }
  log(`funded ${senders.length} senders from ${devs.length} dev accounts in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
