/**
 * Execution: applyTx / executeTxs against a StateDB — transfers, reverts (nonce still
 * advances, writes undone, earlier txs kept), applicability checks with codes, build vs
 * validate mode, gas accounting and the block gas limit, contract addresses.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { sha256 } from '../../../core/crypto/index.js';
import { encode, toHex, type Value } from '../../../core/encoding/index.js';
import {
  applyTx,
  checkApplicable,
  contractAddress,
  executeTxs,
  ExecutionError,
  intrinsicGas,
  TX_BASE_GAS,
  TX_BYTE_GAS,
  UNAVAILABLE_EXECUTOR,
  type BlockEnv,
  type ContractExecutor,
  type ExecOutcome,
  type TxEnvelope,
} from '../../../core/execution/index.js';
import { StateDB, type Account } from '../../../core/state/index.js';
import { Trie } from '../../../core/trie/index.js';
import { DEV, DEV_CHAIN, env, signedTxBytes, transferEnv } from '../../fixtures/chainFixtures.js';

const BLOCK: BlockEnv = { chainId: DEV_CHAIN, height: 5, timeMs: 1_800_000_000_000, proposer: DEV[0].address };
const START = 1_000_000n;
const GAS_LIMIT = 10_000_000;

let state: StateDB;
beforeEach(() => {
  state = new StateDB(new Trie({ keyLength: 32 }));
  for (let i = 0; i < 8; i++) state.setAccount(DEV[i].address, { nonce: 0, balance: START, codeHash: null });
});

const bal = (i: number) => state.getAccount(DEV[i].address).balance;
const nonce = (i: number) => state.getAccount(DEV[i].address).nonce;

function expectExecError(f: () => unknown, code: ExecutionError['code']): ExecutionError {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected ${code}`).toBeInstanceOf(ExecutionError);
  expect((caught as ExecutionError).code).toBe(code);
  return caught as ExecutionError;
}

/** An executor whose deploy/call run `fn` (and count calls). */
function stub(fn: (state: StateDB, to: Uint8Array, method: string, args: Value[], gasLimit: number) => ExecOutcome): ContractExecutor & { calls: number } {
  const ex = {
    calls: 0,
    deploy: (s: StateDB, _e: unknown, address: Uint8Array, code: Uint8Array, gas: number) => {
      ex.calls++;
      return fn(s, address, 'deploy', [code], gas);
    },
    call: (s: StateDB, _e: unknown, to: Uint8Array, method: string, args: Value[], gas: number) => {
      ex.calls++;
      return fn(s, to, method, args, gas);
    },
    view: () => ({ ok: false as const, gasUsed: 0, error: 'no views' }),
  };
  return ex;
}

function callEnv(from: number, n: number, over: Record<string, unknown> = {}): TxEnvelope {
  return env(signedTxBytes(from, n, { to: DEV[7].address, method: 'doThing', args: [1, 'x'], ...over }));
}

/** Applies one tx after checking it, as executeTxs does. */
function apply(e: TxEnvelope, executor: ContractExecutor = UNAVAILABLE_EXECUTOR) {
  checkApplicable(state, BLOCK, e, GAS_LIMIT);
  return applyTx(state, BLOCK, e, executor);
}

describe('transfers', () => {
  it('moves balance and advances the sender nonce', () => {
    const r = apply(transferEnv(1, 2, 0, 250));
    expect(r).toMatchObject({ status: 'ok', result: null, events: [] });
    expect(r.error).toBeUndefined();
    expect(bal(1)).toBe(START - 250n);
    expect(bal(2)).toBe(START + 250n);
    expect(nonce(1)).toBe(1);
    expect(nonce(2)).toBe(0);
  });

  it('funds a fresh account, accepts bigint amounts and the whole balance', () => {
    const fresh = new Uint8Array(20).fill(0xee);
    apply(transferEnv(1, 2, 0, 10, { to: fresh }));
    expect(state.getAccount(fresh)).toEqual({ nonce: 0, balance: 10n, codeHash: null });
    expect(apply(transferEnv(1, 2, 1, START - 10n)).status).toBe('ok');
    expect(bal(1)).toBe(0n);
    expect(state.getAccount(DEV[1].address).nonce).toBe(2);
  });

  it('a transfer to oneself changes only the nonce', () => {
    const r = apply(transferEnv(3, 3, 0, 999));
    expect(r.status).toBe('ok');
    expect(state.getAccount(DEV[3].address)).toEqual({ nonce: 1, balance: START, codeHash: null });
  });

  it('insufficient balance: included, reverted, nonce advanced, balances untouched', () => {
    const e = transferEnv(1, 2, 0, START + 1n);
    const r = apply(e);
    expect(r.status).toBe('reverted');
    expect(r.error).toMatch(/insufficient balance/);
    expect(r.gasUsed).toBe(intrinsicGas(e.size));
    expect(bal(1)).toBe(START);
    expect(bal(2)).toBe(START);
    expect(nonce(1)).toBe(1);
  });

  it('an unfunded sender can still burn its nonce on a reverted transfer', () => {
    const state0 = state.getAccount(DEV[8].address);
    expect(state0.balance).toBe(0n);
    const r = apply(transferEnv(8, 1, 0, 1));
    expect(r.status).toBe('reverted');
    expect(state.getAccount(DEV[8].address)).toEqual({ nonce: 1, balance: 0n, codeHash: null });
  });

  it('bad transfer args revert without moving anything', () => {
    const badArgs: Value[][] = [[], [1, 2], ['5'], [-1], [Uint8Array.of(5)], [null], [[5]], [{ amount: 5 }], [true]];
    badArgs.forEach((args, n) => {
      const r = apply(env(signedTxBytes(1, n, { to: DEV[2].address, args })));
      expect(r.status, JSON.stringify(args, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))).toBe('reverted');
      expect(r.error).toMatch(/transfer: args/);
    });
    expect(bal(1)).toBe(START);
    expect(bal(2)).toBe(START);
    expect(nonce(1)).toBe(badArgs.length);
  });

  it('a transfer that would push the recipient past 2^64-1 reverts instead of failing the block', () => {
    const rich = new Uint8Array(20).fill(0x77);
    state.setAccount(rich, { nonce: 0, balance: 2n ** 64n - 10n, codeHash: null });
    const r = apply(transferEnv(1, 2, 0, 11, { to: rich }));
    expect(r.status).toBe('reverted');
    expect(r.error).toMatch(/exceed 2\^64-1/);
    expect(state.getAccount(rich).balance).toBe(2n ** 64n - 10n);
    expect(bal(1)).toBe(START);
    expect(nonce(1)).toBe(1);
    expect(apply(transferEnv(1, 2, 1, 9, { to: rich })).status).toBe('ok');
    expect(state.getAccount(rich).balance).toBe(2n ** 64n - 1n);
  });
});

describe('contract calls and deploys', () => {
  it('with UNAVAILABLE_EXECUTOR: reverted "vm unavailable", nonce advanced', () => {
    const call = apply(callEnv(1, 0));
    expect(call).toMatchObject({ status: 'reverted', error: 'vm unavailable', result: null, events: [] });
    const deploy = apply(env(signedTxBytes(1, 1, { to: null, method: 'deploy', args: [Uint8Array.of(1, 2, 3)] })));
    expect(deploy).toMatchObject({ status: 'reverted', error: 'vm unavailable' });
    expect(nonce(1)).toBe(2);
    expect(bal(1)).toBe(START);
  });

  it('a deploy whose args are not [code: bytes] reverts without calling the executor', () => {
    const ex = stub(() => ({ ok: true, gasUsed: 0, result: null, events: [] }));
    for (const [n, args] of [[], ['code'], [Uint8Array.of(1), Uint8Array.of(2)], [5]].entries()) {
      const r = apply(env(signedTxBytes(1, n, { to: null, method: 'deploy', args: args as Value[] })), ex);
      expect(r).toMatchObject({ status: 'reverted', error: 'deploy: args must be [code: bytes]' });
    }
    expect(ex.calls).toBe(0);
  });

  it('a successful deploy returns the contract address sha256(sender || encode(nonce))[0:20]', () => {
    let deployedAt: Uint8Array | undefined;
    const ex = stub((s, address, _m, args) => {
      deployedAt = address;
      s.setCode(address, args[0] as Uint8Array);
      return { ok: true, gasUsed: 10, result: null, events: [] };
    });
    apply(transferEnv(4, 1, 0, 1));
    apply(transferEnv(4, 1, 1, 1));
    const r = apply(env(signedTxBytes(4, 2, { to: null, method: 'deploy', args: [Uint8Array.of(0xc0, 0xde)] })), ex);
    expect(r.status).toBe('ok');
    const expected = sha256(DEV[4].address, encode(2)).subarray(0, 20);
    expect(toHex(r.result as Uint8Array)).toBe(toHex(expected));
    expect(toHex(deployedAt!)).toBe(toHex(expected));
    expect(toHex(contractAddress(DEV[4].address, 2))).toBe(toHex(expected));
    expect(state.getCode(expected)).toEqual(Uint8Array.of(0xc0, 0xde));
  });

  it('contractAddress differs per nonce and sender, and uses the canonical nonce encoding', () => {
    const a = [0, 1, 127, 128, 255, 256, 65_536, 2 ** 32].map((n) => toHex(contractAddress(DEV[0].address, n)));
    expect(new Set(a).size).toBe(a.length);
    expect(contractAddress(DEV[0].address, 300)).toEqual(sha256(DEV[0].address, Uint8Array.of(0xcd, 0x01, 0x2c)).subarray(0, 20));
    expect(toHex(contractAddress(DEV[1].address, 0))).not.toBe(a[0]);
    expect(contractAddress(DEV[0].address, 0)).toHaveLength(20);
  });

  it('passes the call through: target, method, args and the gas left after intrinsic', () => {
    let seen: unknown;
    const ex = stub((_s, to, method, args, gas) => {
      seen = { to: toHex(to), method, args, gas };
      return { ok: true, gasUsed: 5, result: 'done', events: [{ contract: to, event: 'Did', data: { n: 1 } }] };
    });
    const e = callEnv(1, 0, { gasLimit: 50_000 });
    const r = apply(e, ex);
    expect(seen).toEqual({ to: toHex(DEV[7].address), method: 'doThing', args: [1, 'x'], gas: 50_000 - intrinsicGas(e.size) });
    expect(r).toMatchObject({ status: 'ok', result: 'done', gasUsed: intrinsicGas(e.size) + 5 });
    expect(r.events).toEqual([{ contract: DEV[7].address, event: 'Did', data: { n: 1 } }]);
  });

  it('revert isolation: a failing call loses its own writes, an earlier tx keeps its writes', () => {
    const slot = Uint8Array.of(1);
    const ex = stub((s, to, method) => {
      s.setStorage(to, slot, Uint8Array.of(method === 'ok' ? 1 : 2));
      s.setAccount(DEV[6].address, { nonce: 0, balance: 42n, codeHash: null });
      if (method === 'ok') return { ok: true, gasUsed: 1, result: null, events: [] };
      s.setCode(to, Uint8Array.of(0xff));
      return { ok: false, gasUsed: 7, error: 'boom' };
    });
    const first = executeTxs('validate', state, BLOCK, [callEnv(1, 0, { method: 'ok' }), callEnv(2, 0, { method: 'fail' })], ex, GAS_LIMIT);
    expect(first.receipts.map((r) => r.status)).toEqual(['ok', 'reverted']);
    expect(first.receipts[1].error).toBe('boom');
    expect(state.getStorage(DEV[7].address, slot)).toEqual(Uint8Array.of(1));
    expect(bal(6)).toBe(42n);
    expect(state.getCode(DEV[7].address)).toBeUndefined();
    expect(nonce(1)).toBe(1);
    expect(nonce(2)).toBe(1);
  });

  it('a reverted tx leaves exactly the state root a nonce bump alone would', async () => {
    const ex = stub((s, to) => {
      s.setStorage(to, Uint8Array.of(9), Uint8Array.of(9));
      s.setAccount(DEV[5].address, { nonce: 9, balance: 9n, codeHash: null });
      return { ok: false, gasUsed: 0, error: 'no' };
    });
    const other = new StateDB(new Trie({ keyLength: 32 }));
    for (let i = 0; i < 8; i++) other.setAccount(DEV[i].address, { nonce: 0, balance: START, codeHash: null });
    other.setAccount(DEV[1].address, { nonce: 1, balance: START, codeHash: null });
    apply(callEnv(1, 0), ex);
    expect((await state.commit()).root).toEqual((await other.commit()).root);
  });

  it('an executor that throws a non-revert error is a bug and propagates', () => {
    const ex = stub(() => {
      throw new RangeError('interpreter bug');
    });
    expect(() => apply(callEnv(1, 0), ex)).toThrow(RangeError);
  });
});

describe('checkApplicable', () => {
  it('accepts a tx with the right chain, exact nonce and enough gas', () => {
    expect(() => checkApplicable(state, BLOCK, transferEnv(1, 2, 0, 1), GAS_LIMIT)).not.toThrow();
  });

  it('wrong chain → EXEC_BAD_CHAIN_ID', () => {
    const err = expectExecError(() => checkApplicable(state, BLOCK, transferEnv(1, 2, 0, 1, { chainId: 'other-chain' }), GAS_LIMIT), 'EXEC_BAD_CHAIN_ID');
    expect(err.context).toMatchObject({ expected: DEV_CHAIN, actual: 'other-chain' });
  });

  it('nonce too low or too high → EXEC_BAD_NONCE with expected/actual', () => {
    state.setAccount(DEV[1].address, { nonce: 3, balance: START, codeHash: null });
    expect(expectExecError(() => checkApplicable(state, BLOCK, transferEnv(1, 2, 2, 1), GAS_LIMIT), 'EXEC_BAD_NONCE').context).toMatchObject({
      expected: 3,
      actual: 2,
    });
    expect(expectExecError(() => checkApplicable(state, BLOCK, transferEnv(1, 2, 4, 1), GAS_LIMIT), 'EXEC_BAD_NONCE').context).toMatchObject({
      expected: 3,
      actual: 4,
    });
    expect(() => checkApplicable(state, BLOCK, transferEnv(1, 2, 3, 1), GAS_LIMIT)).not.toThrow();
  });

  it('gasLimit below the intrinsic gas → EXEC_INTRINSIC_GAS', () => {
    const probe = transferEnv(1, 2, 0, 1, { gasLimit: 1000 });
    const intrinsic = intrinsicGas(probe.size);
    expect(intrinsic).toBe(TX_BASE_GAS + TX_BYTE_GAS * probe.size);
    const err = expectExecError(() => checkApplicable(state, BLOCK, probe, GAS_LIMIT), 'EXEC_INTRINSIC_GAS');
    expect(err.context).toMatchObject({ gasLimit: 1000, intrinsic });
    // exactly the intrinsic gas is enough (the encoding size does not change between these limits)
    const exact = transferEnv(1, 2, 0, 1, { gasLimit: intrinsic });
    expect(exact.size).toBe(probe.size);
    expect(() => checkApplicable(state, BLOCK, exact, GAS_LIMIT)).not.toThrow();
    expectExecError(() => checkApplicable(state, BLOCK, transferEnv(1, 2, 0, 1, { gasLimit: intrinsic - 1 }), GAS_LIMIT), 'EXEC_INTRINSIC_GAS');
  });

  it('gasLimit over the gas left in the block → EXEC_BLOCK_GAS_EXCEEDED', () => {
    const e = transferEnv(1, 2, 0, 1, { gasLimit: 50_000 });
    const err = expectExecError(() => checkApplicable(state, BLOCK, e, 49_999), 'EXEC_BLOCK_GAS_EXCEEDED');
    expect(err.context).toMatchObject({ gasLimit: 50_000, gasLeft: 49_999 });
    expect(() => checkApplicable(state, BLOCK, e, 50_000)).not.toThrow();
  });

  it('does not change state', async () => {
    const before = (await state.commit()).root;
    try {
      checkApplicable(state, BLOCK, transferEnv(1, 2, 5, 1), GAS_LIMIT);
    } catch {
      // expected
    }
    checkApplicable(state, BLOCK, transferEnv(1, 2, 0, 1), GAS_LIMIT);
    expect((await state.commit()).root).toEqual(before);
  });
});

describe('executeTxs', () => {
  it('build mode skips inapplicable txs, reports why, and includes the rest in order', () => {
    const txs = [
      transferEnv(1, 2, 0, 10),
      transferEnv(1, 2, 5, 10), // nonce too high
      transferEnv(2, 3, 0, 10, { chainId: 'other-chain' }),
      transferEnv(1, 2, 1, 10),
      transferEnv(3, 4, 0, 10, { gasLimit: 1000 }), // below intrinsic
      transferEnv(1, 2, 0, 10), // stale (replayed) nonce
    ];
    const out = executeTxs('build', state, BLOCK, txs, UNAVAILABLE_EXECUTOR, GAS_LIMIT);
    expect(out.included).toEqual([txs[0], txs[3]]);
    expect(out.receipts.map((r) => r.status)).toEqual(['ok', 'ok']);
    expect(out.skipped.map((s) => [s.tx, s.error.code])).toEqual([
      [txs[1], 'EXEC_BAD_NONCE'],
      [txs[2], 'EXEC_BAD_CHAIN_ID'],
      [txs[4], 'EXEC_INTRINSIC_GAS'],
      [txs[5], 'EXEC_BAD_NONCE'],
    ]);
    expect(nonce(1)).toBe(2);
    expect(nonce(2)).toBe(0);
    expect(bal(2)).toBe(START + 20n);
  });

  it('validate mode throws the first inapplicable tx with context.index, like build would skip it', () => {
    const txs = [transferEnv(1, 2, 0, 10), transferEnv(2, 3, 0, 10), transferEnv(1, 2, 0, 10)];
    const err = expectExecError(() => executeTxs('validate', state, BLOCK, txs, UNAVAILABLE_EXECUTOR, GAS_LIMIT), 'EXEC_BAD_NONCE');
    expect(err.context).toMatchObject({ index: 2, expected: 1, actual: 0 });
    expect(err.message).toMatch(/^tx 2: /);
    for (const [sender, bad, code] of [
      [5, transferEnv(4, 2, 0, 1, { chainId: 'x-chain' }), 'EXEC_BAD_CHAIN_ID'],
      [6, transferEnv(4, 2, 0, 1, { gasLimit: 10 }), 'EXEC_INTRINSIC_GAS'],
      [7, transferEnv(4, 2, 0, 1, { gasLimit: GAS_LIMIT + 1 }), 'EXEC_BLOCK_GAS_EXCEEDED'],
    ] as const) {
      const e2 = expectExecError(() => executeTxs('validate', state, BLOCK, [transferEnv(sender, 2, 0, 1), bad], UNAVAILABLE_EXECUTOR, GAS_LIMIT), code);
      expect(e2.context.index).toBe(1);
    }
  });

  it('validate mode accepts reverted txs (they are valid block content)', () => {
    const out = executeTxs('validate', state, BLOCK, [transferEnv(1, 2, 0, START * 2n), callEnv(1, 1)], UNAVAILABLE_EXECUTOR, GAS_LIMIT);
    expect(out.receipts.map((r) => r.status)).toEqual(['reverted', 'reverted']);
    expect(nonce(1)).toBe(2);
  });

  it('gas: each receipt is intrinsic + executor gas, capped at gasLimit; the block sums them', () => {
    const used = [0, 123, 10_000_000];
    let k = 0;
    const ex = stub(() => ({ ok: true, gasUsed: used[k++], result: null, events: [] }));
    const txs = [callEnv(1, 0, { gasLimit: 60_000 }), callEnv(1, 1, { gasLimit: 60_000 }), callEnv(1, 2, { gasLimit: 60_000 })];
    const out = executeTxs('build', state, BLOCK, txs, ex, GAS_LIMIT);
    const expected = [intrinsicGas(txs[0].size), intrinsicGas(txs[1].size) + 123, 60_000];
    expect(out.receipts.map((r) => r.gasUsed)).toEqual(expected);
    expect(out.gasUsed).toBe(expected[0] + expected[1] + expected[2]);
  });

  it('a reverted call is charged its gas too (capped)', () => {
    const ex = stub(() => ({ ok: false, gasUsed: 1e9, error: 'out of gas' }));
    const out = executeTxs('build', state, BLOCK, [callEnv(1, 0, { gasLimit: 70_000 })], ex, GAS_LIMIT);
    expect(out.receipts[0]).toMatchObject({ status: 'reverted', gasUsed: 70_000, error: 'out of gas' });
  });

  it('the block gas limit stops inclusion: gas left is the limit minus gas used so far', () => {
    const txs = [0, 1, 2, 3].map((n) => callEnv(1, n, { gasLimit: 100_000 }));
    const ex = stub(() => ({ ok: true, gasUsed: 100_000, result: null, events: [] })); // each uses its whole limit
    const out = executeTxs('build', state, BLOCK, txs, ex, 250_000);
    expect(out.included).toHaveLength(2);
    expect(out.gasUsed).toBe(200_000);
    expect(out.skipped.map((s) => s.error.code)).toEqual(['EXEC_BLOCK_GAS_EXCEEDED', 'EXEC_BAD_NONCE']);
    expect(out.skipped[0].error.context).toMatchObject({ gasLimit: 100_000, gasLeft: 50_000 });

    // txs that use less than their limit leave room for more
    const cheap = stub(() => ({ ok: true, gasUsed: 0, result: null, events: [] }));
    state = new StateDB(new Trie({ keyLength: 32 }));
    const out2 = executeTxs('build', state, BLOCK, txs, cheap, 250_000);
    expect(out2.included).toHaveLength(4);
    expect(out2.gasUsed).toBe(txs.reduce((s, t) => s + intrinsicGas(t.size), 0));
  });

  it('an empty list executes to nothing', () => {
    expect(executeTxs('validate', state, BLOCK, [], UNAVAILABLE_EXECUTOR, GAS_LIMIT)).toEqual({ included: [], receipts: [], gasUsed: 0, skipped: [] });
  });

  it('gives identical receipts and roots when re-run on the same pre-state (determinism)', async () => {
    const make = () => {
      const s = new StateDB(new Trie({ keyLength: 32 }));
      for (let i = 0; i < 8; i++) s.setAccount(DEV[i].address, { nonce: 0, balance: START, codeHash: null });
      return s;
    };
    const txs = [transferEnv(1, 2, 0, 5), transferEnv(2, 1, 0, START + 1n), transferEnv(1, 3, 1, 7), callEnv(3, 0)];
    const s1 = make();
    const s2 = make();
    const a = executeTxs('build', s1, BLOCK, txs, UNAVAILABLE_EXECUTOR, GAS_LIMIT);
    const b = executeTxs('validate', s2, BLOCK, txs, UNAVAILABLE_EXECUTOR, GAS_LIMIT);
    expect(a.receipts).toEqual(b.receipts);
    expect((await s1.commit()).root).toEqual((await s2.commit()).root);
  });
});

describe('the account the nonce lives in', () => {
  it('keeps the codeHash of a contract account that sends', () => {
    const codeHash = sha256(Uint8Array.of(1));
    const withCode: Account = { nonce: 0, balance: START, codeHash };
    state.setAccount(DEV[1].address, withCode);
    apply(transferEnv(1, 2, 0, 1));
    expect(state.getAccount(DEV[1].address)).toEqual({ nonce: 1, balance: START - 1n, codeHash });
  });
});
