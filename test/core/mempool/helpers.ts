import { addressOf, DOMAIN_TX, devKey, generateSecretKey, getPublicKey, signingDigest, verify } from '../../../core/crypto/index.js';
import { encodeTx, signTx, txSigningPayload, type SignedTx, type UnsignedTx } from '../../../core/tx/index.js';
import type { Value } from '../../../core/encoding/index.js';
import { Mempool, MempoolError, type MempoolDeps, type MempoolErrorCode, type MempoolOptions } from '../../../core/mempool/index.js';
import { expect } from 'vitest';

export const CHAIN = 'medchain-dev';
/** Room for ~100 default txs per block in most tests. */
export const BLOCK_GAS = 100_000_000;
/** Every account starts rich unless a test says otherwise. */
export const RICH = 10n ** 30n;

export interface Key {
  secretKey: Uint8Array;
  publicKey: Uint8Array;
  address: Uint8Array;
}

const dev = Array.from({ length: 10 }, (_, i) => devKey(i));
const extra: Key[] = [];

/** Sender i: dev keys 0..9, then generated keys (cached, so key i is stable within a file). */
export function key(i: number): Key {
  if (i < dev.length) return dev[i];
  while (extra.length <= i - dev.length) {
    const secretKey = generateSecretKey();
    const publicKey = getPublicKey(secretKey);
    extra.push({ secretKey, publicKey, address: addressOf(publicKey) });
  }
  return extra[i - dev.length];
}

/** A real signed tx as bytes: by default a transfer of 1 from `from` to dev 9. */
export function txBytes(from: Key, nonce: number, over: Partial<UnsignedTx> = {}): Uint8Array {
  const tx: UnsignedTx = {
    chainId: CHAIN,
    nonce,
    sender: from.publicKey,
    to: dev[9].address,
    method: 'transfer',
    args: [1] as Value[],
    gasLimit: 100_000,
    ...over,
  };
  return encodeTx(signTx(tx, from.secretKey));
}

/** Exactly what the sig pool verifies: the native verify of sha256(domain || payload). */
export async function realVerify(tx: SignedTx): Promise<boolean> {
  return verify(tx.sig, signingDigest(DOMAIN_TX, txSigningPayload(tx)), tx.sender);
}

/** A Map-backed committed account view, keyed by address hex. */
export class Accounts {
  private readonly m = new Map<string, { nonce: number; balance: bigint }>();
  reads = 0;
  get(address: Uint8Array): { nonce: number; balance: bigint } {
    this.reads++;
    return this.m.get(Buffer.from(address).toString('hex')) ?? { nonce: 0, balance: RICH };
  }
  set(address: Uint8Array, v: Partial<{ nonce: number; balance: bigint }>): void {
    this.m.set(Buffer.from(address).toString('hex'), { ...this.get(address), ...v });
  }
}

/** A deferred signature check: tests decide when (and in which order) each one completes. */
export class GatedVerify {
  private waiting: Array<{ tx: SignedTx; resolve: (ok: boolean) => void }> = [];
  calls = 0;
  readonly fn = (tx: SignedTx): Promise<boolean> => {
    this.calls++;
    return new Promise((resolve) => this.waiting.push({ tx, resolve }));
  };
  get queued(): number {
    return this.waiting.length;
  }
  /** Completes the queued checks with the real verification, in the given order of indices (default: reverse). */
  async release(order?: number[]): Promise<void> {
    const w = this.waiting;
    this.waiting = [];
    const idx = order ?? w.map((_, i) => w.length - 1 - i);
    for (const i of idx) w[i].resolve(await realVerify(w[i].tx));
  }
}

export interface Fixture {
  pool: Mempool;
  accounts: Accounts;
  verifyCalls: () => number;
}

/** A pool with real verification and a Map-backed account view. */
export function makePool(opts: Partial<MempoolOptions> = {}, verifyFn?: MempoolDeps['verifySignature']): Fixture {
  const accounts = new Accounts();
  let calls = 0;
  const v = verifyFn ?? realVerify;
  const pool = new Mempool(
    { chainId: CHAIN, blockGasLimit: BLOCK_GAS, ...opts },
    {
      account: (a) => accounts.get(a),
      verifySignature: (tx, hash) => {
        calls++;
        return v(tx, hash);
      },
    },
  );
  return { pool, accounts, verifyCalls: () => calls };
}

/** Asserts that `p` rejects with a MempoolError of `code`; returns it for further checks. */
export async function rejects(p: Promise<unknown>, code: MempoolErrorCode): Promise<MempoolError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `expected ${code}`).toBeInstanceOf(MempoolError);
  expect((err as MempoolError).code).toBe(code);
  return err as MempoolError;
}

/** Hex of bytes, for readable equality checks. */
export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
