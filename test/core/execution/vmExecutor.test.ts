/**
 * The rule VM as core's executor: deploy (verified code only), calls through applyTx with
 * state-backed storage, events as ChainEvents, pay/transfer on native balances, reverts
 * undoing everything, views (read-only, nested view calls between contracts), and the
 * same state root on the memory and LevelDB backends.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { encode, type Value } from '../../../core/encoding/index.js';
import {
  applyTx,
  checkApplicable,
  contractAddress,
  createVmExecutor,
  DEPLOY_BASE_GAS,
  DEPLOY_GAS_PER_BYTE,
  encodeReceipt,
  MAX_VIEW_DEPTH,
  VM_EXECUTOR,
  type BlockEnv,
  type CallEnv,
  type Receipt,
  type VmExecutor,
} from '../../../core/execution/index.js';
import { StateDB } from '../../../core/state/index.js';
import { Trie } from '../../../core/trie/index.js';
import type { UnsignedTx } from '../../../core/tx/index.js';
import { compile } from '../../../vm/index.js';
import { DEV, DEV_CHAIN, env, signedTxBytes, TempDirs, trieBackends } from '../../fixtures/chainFixtures.js';
import { fixture } from '../../vm/fixtures.js';

const BLOCK: BlockEnv = { chainId: DEV_CHAIN, height: 7, timeMs: 1_000_000, proposer: DEV[0].address };
const CALL_ENV: CallEnv = { chainId: DEV_CHAIN, height: 7, timeMs: 1_000_000, txHash: new Uint8Array(32), origin: DEV[0].address };
const GAS = 5_000_000;
const tmp = new TempDirs();
const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of closers.splice(0)) await c();
  tmp.cleanup();
});

const code = {
  consent: compile(fixture('consent')).code,
  registry: compile(fixture('registry')).code,
  claims: compile(fixture('claims')).code,
};

/** A chain of txs against one StateDB, with per-sender nonces. */
class Session {
  readonly nonces = new Map<number, number>();

  constructor(
    readonly state: StateDB,
    readonly executor: VmExecutor = createVmExecutor(),
  ) {
    for (let i = 0; i < 9; i++) state.setAccount(DEV[i].address, { nonce: 0, balance: 1_000_000n, codeHash: null });
  }

  tx(from: number, over: Partial<UnsignedTx>): Receipt {
    const nonce = this.nonces.get(from) ?? 0;
    this.nonces.set(from, nonce + 1);
    const e = env(signedTxBytes(from, nonce, { gasLimit: GAS, ...over }));
    checkApplicable(this.state, BLOCK, e, 10 * GAS);
    return applyTx(this.state, BLOCK, e, this.executor);
  }

  deploy(from: number, bytes: Uint8Array): { receipt: Receipt; address: Uint8Array } {
    const nonce = this.nonces.get(from) ?? 0;
    const receipt = this.tx(from, { to: null, method: 'deploy', args: [bytes] });
    return { receipt, address: contractAddress(DEV[from].address, nonce) };
  }

  call(from: number, to: Uint8Array, method: string, args: Value[]): Receipt {
    return this.tx(from, { to, method, args });
  }

  view(to: Uint8Array, method: string, args: Value[]) {
    return this.executor.view(this.state, CALL_ENV, to, method, args, GAS);
  }
}

const memState = () => new StateDB(new Trie({ keyLength: 32 }));

describe('vmExecutor: deploy', () => {
  it('verifies and stores code; the receipt result is the contract address', () => {
    const s = new Session(memState());
    const { receipt, address } = s.deploy(0, code.consent);
    expect(receipt.status).toBe('ok');
    expect(receipt.result).toEqual(address);
    expect(s.state.getCode(address)).toEqual(code.consent);
    expect(s.state.getAccount(address).codeHash).not.toBe(null);
    expect(receipt.gasUsed).toBeGreaterThan(DEPLOY_BASE_GAS + DEPLOY_GAS_PER_BYTE * code.consent.length);
    expect(s.executor.abiAt(s.state, address)!.functions.map((f) => f.name)).toContain('check');
    expect(s.executor.abiAt(s.state, DEV[1].address)).toBe(undefined);
  });

  it('rejects code the verifier rejects: nothing stored, nonce still advances', () => {
    const s = new Session(memState());
    const bad = code.consent.slice();
    bad[bad.length - 3] = 0xff; // corrupt the last function's tail
    const { receipt, address } = s.deploy(0, bad);
    expect(receipt.status).toBe('reverted');
    expect(receipt.error).toMatch(/^code rejected by the verifier: VERIFY_/);
    expect(s.state.getCode(address)).toBe(undefined);
    expect(s.state.getAccount(DEV[0].address).nonce).toBe(1);
    const junk = s.deploy(0, Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8])).receipt;
    expect(junk.error).toContain('bad magic');
  });

  it('runs out of gas for large code with a small gas limit', () => {
    const s = new Session(memState());
    const e = env(signedTxBytes(0, 0, { to: null, method: 'deploy', args: [code.consent], gasLimit: 50_000 }));
    const r = applyTx(s.state, BLOCK, e, s.executor);
    expect(r.status).toBe('reverted');
    expect(r.error).toContain('out of gas');
    expect(r.gasUsed).toBe(50_000);
  });
});

describe('vmExecutor: calls and views', () => {
  it('consent: grant through a tx, events as ChainEvents, storage in the contract namespace, check as a view', () => {
    const s = new Session(memState());
    const { address } = s.deploy(0, code.consent);
    const r = s.call(4, address, 'grant', [DEV[3].address, ['lab'], ['treatment'], 0, 2_000_000]);
    expect(r.status).toBe('ok');
    expect(r.result).toBe(1);
    expect(r.events).toHaveLength(1);
    expect(r.events[0]).toMatchObject({ contract: address, event: 'Granted', data: { id: 1, patient: DEV[4].address, actor: DEV[3].address } });
    expect(() => encodeReceipt(r)).not.toThrow();
    // slot = encode([variable, ...keys]) (the ABI's storage layout)
    expect(s.state.getStorage(address, encode(['nextId']))).toEqual(encode(1));
    expect(s.state.getStorage(address, encode(['grants', 1]))).toBeDefined();
    expect(s.view(address, 'check', [DEV[4].address, DEV[3].address, 'lab', 'treatment'])).toMatchObject({ ok: true, result: true });
    expect(s.view(address, 'check', [DEV[4].address, DEV[3].address, 'lab', 'research'])).toMatchObject({ ok: true, result: false });
  });

  it('reverts: receipt error names the reason and position; no write survives', () => {
    const s = new Session(memState());
    const { address } = s.deploy(0, code.consent);
    const r = s.call(4, address, 'grant', [DEV[3].address, ['lab'], ['treatment'], 5, 5]);
    expect(r.status).toBe('reverted');
    expect(r.error).toMatch(/^reverted: empty period \(at \d+:\d+\)$/);
    expect(s.state.getStorage(address, encode(['nextId']))).toBe(undefined);
    const bad = s.call(4, address, 'grant', [DEV[3].address, 'lab', ['treatment'], 0, 5]);
    expect(bad.error).toContain('BAD_ARGUMENT: argument categories of grant: expected list<string>');
    expect(s.call(4, address, 'nope', []).error).toContain("UNKNOWN_FUNCTION");
    expect(s.call(4, DEV[5].address, 'grant', []).error).toContain('no contract at');
  });

  it('views are read-only: a non-view function cannot be called as a view', () => {
    const s = new Session(memState());
    const { address } = s.deploy(0, code.consent);
    const v = s.view(address, 'grant', [DEV[3].address, ['lab'], ['t'], 0, 5]);
    expect(v).toMatchObject({ ok: false });
    expect((v as { error: string }).error).toContain('NOT_A_VIEW');
    expect(s.state.getStorage(address, encode(['nextId']))).toBe(undefined);
  });

  it('claims: pay into escrow and transfer out move native balances; a revert moves nothing', () => {
    const s = new Session(memState());
    const { address } = s.deploy(0, code.claims);
    const insurer = 5;
    const provider = 2;
    expect(s.call(insurer, address, 'createPolicy', [{ A1: [10, 500] }, 0, 100_000, 0, 10 ** 12]).status).toBe('ok');
    s.call(insurer, address, 'enrol', [DEV[4].address, 1]);
    expect(s.call(insurer, address, 'fund', [10_000]).status).toBe('ok');
    expect(s.state.getAccount(address).balance).toBe(10_000n);
    expect(s.state.getAccount(DEV[insurer].address).balance).toBe(990_000n);
    const r = s.call(provider, address, 'submit', [DEV[4].address, 5_000, [{ code: 'A1', qty: 2, price: 100 }]]);
    expect(r.status).toBe('ok');
    expect(r.result).toEqual([['A1', 190, 'paid']]);
    expect(s.state.getAccount(DEV[provider].address).balance).toBe(1_000_190n);
    expect(s.state.getAccount(address).balance).toBe(9_810n);
    // over the escrow: reverts after adjudicating, nothing moves
    const big = s.call(provider, address, 'submit', [DEV[4].address, 6_000, Array.from({ length: 50 }, (_, i) => ({ code: 'A1', qty: 1, price: 400 + i }))]);
    expect(big.status).toBe('reverted');
    expect(big.error).toContain('insurer escrow too low');
    expect(s.state.getAccount(address).balance).toBe(9_810n);
    // paying more than one has
    const poor = s.call(insurer, address, 'fund', [10_000_000]);
    expect(poor.error).toContain('INSUFFICIENT_FUNDS');
    expect(s.state.getAccount(DEV[insurer].address).balance).toBe(990_000n);
  });

  it('nested view calls: consent asks the registry; the caller of the view is the consent contract', () => {
    const s = new Session(memState());
    const reg = s.deploy(0, code.registry).address;
    const con = s.deploy(0, code.consent).address;
    s.call(1, reg, 'addRegulator', [DEV[1].address]);
    s.call(1, reg, 'registerOrg', [DEV[2].address, 'hospital', 'H', 10 ** 12]);
    s.call(2, reg, 'registerPractitioner', [DEV[3].address, 'D', 'L-1', 'er', 10 ** 12]);
    s.call(4, con, 'setRegistry', [reg]);
    const record = new Uint8Array(32).fill(9);
    const denied = s.call(2, con, 'logAccess', [DEV[4].address, record, 'lab', 'care', true]);
    expect(denied.error).toMatch(/break-glass needs a registered practitioner/);
    const ok = s.call(3, con, 'logAccess', [DEV[4].address, record, 'lab', 'care', true]);
    expect(ok.status).toBe('ok');
    expect(ok.events[0]).toMatchObject({ contract: con, event: 'Accessed', data: { breakGlass: true } });
  });

  it(`view calls nest at most ${MAX_VIEW_DEPTH} deep, sharing the caller's gas`, () => {
    const src = `contract loop
      interface Self { view fn down(n: int) -> int }
      view fn down(n: int) -> int {
        if n == 0 { return 0 }
        return 1 + Self(self).down(n - 1)
      }`;
    const s = new Session(memState());
    const { address } = s.deploy(0, compile(src).code);
    expect(s.view(address, 'down', [MAX_VIEW_DEPTH])).toMatchObject({ ok: true, result: MAX_VIEW_DEPTH });
    const deep = s.view(address, 'down', [MAX_VIEW_DEPTH + 1]);
    expect(deep).toMatchObject({ ok: false });
    expect((deep as { error: string }).error).toContain('CALL_DEPTH');
    const starved = s.executor.view(s.state, CALL_ENV, address, 'down', [5], 2_000);
    expect(starved).toMatchObject({ ok: false, gasUsed: 2_000 });
  });

  it('VM_EXECUTOR is a ready-made shared executor', () => {
    const s = new Session(memState(), VM_EXECUTOR);
    const { address } = s.deploy(0, code.registry);
    expect(s.view(address, 'isPractitioner', [DEV[1].address])).toMatchObject({ ok: true, result: false });
  });
});

describe('vmExecutor: the same txs give the same state root on every backend', () => {
  it('memory and LevelDB agree, receipt for receipt (byte-identical encodings)', async () => {
    const roots: string[] = [];
    const receipts: string[] = [];
    for (const backend of trieBackends(tmp)) {
      const { db, close } = await backend.open();
      closers.push(close);
      const s = new Session(new StateDB(new Trie({ db, keyLength: 32 })));
      const { address } = s.deploy(0, code.consent);
      s.call(4, address, 'grant', [DEV[3].address, ['lab', 'x'], ['treatment'], 0, 2_000_000]);
      s.call(4, address, 'grant', [DEV[2].address, ['imaging'], ['billing'], 10, 20]);
      const rs = [
        s.call(4, address, 'revoke', [1]),
        s.call(5, address, 'revoke', [2]),
        s.call(4, address, 'grant', [DEV[3].address, [], ['x'], 0, 1]),
      ];
      receipts.push(rs.map((r) => Buffer.from(encodeReceipt(r)).toString('hex')).join('|'));
      const { root, nodes } = await s.state.commit();
      await db.batch(nodes.map(([key, value]) => ({ type: 'put' as const, key, value })));
      roots.push(Buffer.from(root).toString('hex'));
      // re-open at the root and read through the executor
      const again = new Session(new StateDB(new Trie({ db, root, keyLength: 32 })));
      expect(again.view(address, 'grantOf', [2])).toMatchObject({ ok: true, result: { revoked: false, from: 10 } });
    }
    expect(new Set(roots).size).toBe(1);
    expect(new Set(receipts).size).toBe(1);
  });
});
