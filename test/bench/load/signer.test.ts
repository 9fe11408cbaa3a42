import { describe, expect, it } from 'vitest';
import { addressOf, devKey, generateSecretKey, getPublicKey } from '../../../core/crypto/index.js';
import { fromHex, toHex } from '../../../core/encoding/index.js';
import { encodeTx, signTx, txHash, type UnsignedTx } from '../../../core/tx/index.js';
import { packBatch, SignedBatch } from '../../../bench/load/signedBatch.js';
import { FastSigner } from '../../../bench/load/signer.js';
import { txAt, type SignerPlan } from '../../../bench/load/signerPlan.js';
import { TRANSFER_GAS_LIMIT } from '../../../bench/load/workloads/index.js';

/** The design §4 vector: dev 0 → dev 1 transfer of 5, nonce 0, gasLimit 1,000,000. */
const VECTOR_HASH = '0xdc39506629e285441f782a905700b71eaf77fa5850d55fa9e148813892b269f3';

function coreBytes(tx: UnsignedTx, seed: Uint8Array): Uint8Array {
  return encodeTx(signTx(tx, seed));
}

describe('FastSigner (node:crypto) against core signTx/encodeTx (@noble)', () => {
  it('reproduces the design §4 vector byte for byte', () => {
    const dev0 = devKey(0);
    const signer = new FastSigner(dev0.secretKey);
    expect(toHex(signer.publicKey)).toBe(toHex(dev0.publicKey));
    expect(toHex(signer.address)).toBe(toHex(dev0.address));
    const tx: UnsignedTx = { chainId: 'medchain-dev', nonce: 0, sender: dev0.publicKey, to: devKey(1).address, method: 'transfer', args: [5], gasLimit: 1_000_000 };
    const fast = signer.sign(tx);
    expect(fast.bytes.length).toBe(154);
    expect(toHex(fast.bytes)).toBe(toHex(coreBytes(tx, dev0.secretKey)));
    expect('0x' + fast.hash.toString('hex')).toBe(VECTOR_HASH);
  });

  it('matches core for random keys, nonces and argument shapes', () => {
    const argShapes = [[1], [2 ** 40 + 3], [], ['a string', true, null], [new Uint8Array([1, 2, 3]), [1, [2]], { b: 1, a: 'x' }]];
    for (let i = 0; i < 60; i++) {
      const seed = generateSecretKey();
      const signer = new FastSigner(seed);
      expect(toHex(signer.publicKey)).toBe(toHex(getPublicKey(seed)));
      expect(toHex(signer.address)).toBe(toHex(addressOf(signer.publicKey)));
      const tx: UnsignedTx = {
        chainId: i % 2 ? 'medchain-dev' : 'consortium-test.1',
        nonce: [0, 127, 128, 65_535, 2 ** 32 + 1][i % 5],
        sender: signer.publicKey,
        to: i % 7 === 0 ? null : generateSecretKey().slice(0, 20),
        method: i % 7 === 0 ? 'deploy' : 'transfer',
        args: argShapes[i % argShapes.length] as UnsignedTx['args'],
        gasLimit: [TRANSFER_GAS_LIMIT, 0, 50_000_000][i % 3],
      };
      const fast = signer.sign(tx);
      const core = coreBytes(tx, seed);
      expect(toHex(fast.bytes), `tx ${i}`).toBe(toHex(core));
      expect(toHex(fast.hash)).toBe(toHex(txHash(core)));
    }
  });
});

describe('signing plan and packed batches', () => {
  it('gives sender j mod S its floor(j / S)-th nonce and round-trips through a packed batch', () => {
    const seeds = [generateSecretKey(), generateSecretKey(), generateSecretKey()];
    const signers = seeds.map((s) => new FastSigner(s));
    const plan: SignerPlan = {
      chainId: 'medchain-dev',
      seeds: new Uint8Array(Buffer.concat(seeds)),
      startNonces: [0, 5, 9],
      workloadOf: new Uint8Array(3),
      groupIndex: new Uint32Array([0, 1, 2]),
      workloads: [{ name: 'transfer', groupSize: 3, params: { addresses: signers.map((s) => s.address) } }],
    };
    const signed = [];
    for (let j = 0; j < 7; j++) {
      const { sender, nonce, body } = txAt(plan, j);
      expect([sender, nonce]).toEqual([j % 3, plan.startNonces[j % 3] + Math.floor(j / 3)]);
      expect(toHex(body.to!)).toBe(toHex(signers[(sender + 1) % 3].address));
      signed.push(signers[sender].sign({ chainId: plan.chainId, nonce, sender: signers[sender].publicKey, ...body }));
    }
    const batch = new SignedBatch(packBatch(signed));
    expect(batch.count).toBe(7);
    signed.forEach((s, i) => {
      const slot = batch.slot(i);
      expect(fromHex('0x' + slot.hex)).toEqual(new Uint8Array(s.bytes));
      expect(slot.hash).toBe('0x' + s.hash.toString('hex'));
    });
    expect(() => batch.slot(7)).toThrow(RangeError);
  });
});
