import { toHex } from '../encoding/index.js';
import { envelope, intrinsicGas, type TxEnvelope } from '../execution/index.js';
import { decodeTx, MAX_TX_BYTES, TxError, txHash, type SignedTx } from '../tx/index.js';
import { MempoolError } from './errors.js';
import type { PoolEntry } from './senderQueue.js';

/** Map key of a byte string: latin1 maps each byte to one UTF-16 unit, the cheapest exact key. */
export function keyOf(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** What the stateless checks need to know about the pool and the chain. */
export interface StatelessLimits {
  chainId: string;
  blockGasLimit: number;
  /** Whether a tx with this hash key is pooled or being admitted. */
  known(key: string): boolean;
}

/**
 * The cheap checks that need no state, in order: size (before any parsing, so a 1 MiB input
 * costs nothing), decoding with the tx rules, chainId, gas bounds, duplicate hash, and the
 * shape of a transfer's amount. Returns the entry to pool; throws MempoolError.
 */
export function checkStateless(bytes: Uint8Array, limits: StatelessLimits): PoolEntry {
  if (!(bytes instanceof Uint8Array)) {
    throw new MempoolError('MEMPOOL_MALFORMED', 'tx rejected: expected bytes', { cause: 'TX_MALFORMED', field: 'bytes' });
  }
  if (bytes.length > MAX_TX_BYTES) {
    throw new MempoolError('MEMPOOL_TOO_LARGE', `tx is ${bytes.length} bytes, the limit is ${MAX_TX_BYTES}`, {
      size: bytes.length,
      limit: MAX_TX_BYTES,
    });
  }
  const tx = decode(bytes);
  if (tx.chainId !== limits.chainId) {
    throw new MempoolError('MEMPOOL_WRONG_CHAIN', `tx is for chain ${tx.chainId}, not ${limits.chainId}`, {
      expected: limits.chainId,
      actual: tx.chainId,
    });
  }
  const intrinsic = intrinsicGas(bytes.length);
  if (tx.gasLimit > limits.blockGasLimit || tx.gasLimit < intrinsic) {
    const why = tx.gasLimit < intrinsic ? `below its intrinsic gas ${intrinsic}` : `above the block gas limit ${limits.blockGasLimit}`;
    throw new MempoolError('MEMPOOL_GAS_LIMIT', `tx gasLimit ${tx.gasLimit} is ${why}`, {
      gasLimit: tx.gasLimit,
      intrinsic,
      blockGasLimit: limits.blockGasLimit,
    });
  }
  // decodeTx accepts only canonical bytes, so hashing the input is hashing the canonical encoding.
  const hash = txHash(bytes);
  const key = keyOf(hash);
  if (limits.known(key)) {
    throw new MempoolError('MEMPOOL_DUPLICATE', 'tx is already in the pool', { hash: toHex(hash) });
  }
  const spend = transferSpend(tx);
  const env: TxEnvelope = envelope(tx, bytes, hash);
  return { env, key, senderKey: keyOf(env.from), nonce: tx.nonce, spend };
}

/** decodeTx with its TxError wrapped; anything else is a bug of ours and propagates. */
function decode(bytes: Uint8Array): SignedTx {
  try {
    return decodeTx(bytes);
  } catch (e) {
    if (!(e instanceof TxError)) throw e;
    if (e.code === 'TX_TOO_LARGE') throw new MempoolError('MEMPOOL_TOO_LARGE', e.message, { ...e.context });
    throw new MempoolError('MEMPOOL_MALFORMED', `tx rejected: ${e.message}`, {
      cause: e.code,
      field: e.context.field ?? 'bytes',
      ...(e.context.cause === undefined ? {} : { detail: e.context.cause }),
    });
  }
}

/**
 * The balance a tx takes: for `transfer`, args = [amount: uint] (number or bigint, as execution
 * reads it); 0n for anything else. A transfer whose args execution would refuse is rejected
 * here as malformed: it could only be included to revert, wasting block space and a nonce.
 */
function transferSpend(tx: SignedTx): bigint {
  if (tx.method !== 'transfer') return 0n;
  const a = tx.args.length === 1 ? tx.args[0] : undefined;
  if (typeof a === 'number' && Number.isSafeInteger(a) && a >= 0) return BigInt(a);
  if (typeof a === 'bigint' && a >= 0n) return a;
  throw new MempoolError('MEMPOOL_MALFORMED', 'tx rejected: transfer args must be [amount: uint]', {
    cause: 'TX_BAD_FIELD',
    field: 'args',
  });
}
