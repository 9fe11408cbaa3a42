/**
 * StateDB over the trie, on both storage backends (memory and LevelDB): accounts, code,
 * storage, snapshots, commit roots, and corrupt stored accounts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../../core/crypto/index.js';
import { encode, toHex, type Value } from '../../../core/encoding/index.js';
import {
  accountKey,
  codeKey,
  decodeAccount,
  EMPTY_ACCOUNT,
  encodeAccount,
  isEmptyAccount,
  StateDB,
  StateError,
  storageKey,
  type Account,
} from '../../../core/state/index.js';
import { Trie, type TrieDB } from '../../../core/trie/index.js';
import { TempDirs, trieBackends } from '../../fixtures/chainFixtures.js';

const tmp = new TempDirs();
const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of closers.splice(0)) await c();
  tmp.cleanup();
});

const addr = (i: number) => new Uint8Array(20).fill(i);
const A = addr(1);
const B = addr(2);
const C = addr(3);
const acct = (nonce: number, balance: bigint, codeHash: Uint8Array | null = null): Account => ({ nonce, balance, codeHash });

function expectStateError(f: () => unknown, code: StateError['code']): StateError {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(StateError);
  expect((caught as StateError).code).toBe(code);
  return caught as StateError;
}

describe('account encoding', () => {
  it('round-trips and recognises the empty account', () => {
    for (const a of [acct(0, 0n), acct(1, 5n), acct(2 ** 40, 2n ** 64n - 1n, sha256(Uint8Array.of(1)))]) {
      expect(decodeAccount(encodeAccount(a), 'x')).toEqual(a);
    }
    expect(isEmptyAccount({ ...EMPTY_ACCOUNT })).toBe(true);
    expect(isEmptyAccount(acct(1, 0n))).toBe(false);
    expect(isEmptyAccount(acct(0, 1n))).toBe(false);
    expect(isEmptyAccount(acct(0, 0n, new Uint8Array(32)))).toBe(false);
    expect(Object.isFrozen(EMPTY_ACCOUNT)).toBe(true);
  });

  it('rejects every kind of corrupt stored account as STATE_CORRUPT_ACCOUNT', () => {
    const bads: Uint8Array[] = [
      new Uint8Array(0),
      Uint8Array.of(0xc1),
      Uint8Array.of(0x93, 0x00, 0x00), // truncated
      Uint8Array.of(0x93, 0xcc, 0x01, 0x00, 0xc0), // non-canonical int
      encode(null),
      encode([0, 0]),
      encode([0, 0, null, 0]),
      encode({ nonce: 0 }),
      encode([-1, 0, null]),
      encode([0, -1, null]),
      encode([0, -(2n ** 60n), null]),
      encode(['0', 0, null]),
      encode([0, '5', null]),
      encode([2n ** 60n, 0, null]), // nonce beyond a safe integer
      encode([0, 0, new Uint8Array(31)]),
      encode([0, 0, 'hash']),
      encode([0, 0, [new Uint8Array(32)]]),
      encode([null, null, null]),
    ];
    for (const b of bads) {
      const err = expectStateError(() => decodeAccount(b, '0xabc'), 'STATE_CORRUPT_ACCOUNT');
      expect(err.context.address).toBe('0xabc');
    }
  });
});

for (const backend of trieBackends(tmp)) {
  describe(`StateDB on ${backend.name}`, () => {
    async function fresh(): Promise<{ db: TrieDB; state: StateDB; trie: Trie }> {
      const { db, close } = await backend.open();
      closers.push(close);
      const trie = new Trie({ db, keyLength: 32 });
      return { db, trie, state: new StateDB(trie) };
    }

    /** Stores a commit's nodes and reopens the state at its root from the db alone. */
    async function persistAndReopen(db: TrieDB, res: { root: Uint8Array; nodes: Array<[Uint8Array, Uint8Array]> }): Promise<StateDB> {
      await db.batch(res.nodes.map(([key, value]) => ({ type: 'put' as const, key, value })));
      return new StateDB(new Trie({ db, root: res.root, keyLength: 32 }));
    }

    it('reads the empty account for an unknown address, as a copy', async () => {
      const { state } = await fresh();
      const a = state.getAccount(A);
      expect(a).toEqual(EMPTY_ACCOUNT);
      a.nonce = 9;
      expect(state.getAccount(A).nonce).toBe(0);
    });

    it('sets and gets accounts, before and after commit, and after reopening', async () => {
      const { db, state } = await fresh();
      state.setAccount(A, acct(3, 1000n));
      state.setAccount(B, acct(0, 2n ** 64n - 1n));
      expect(state.getAccount(A)).toEqual(acct(3, 1000n));
      const res = await state.commit();
      expect(state.getAccount(A)).toEqual(acct(3, 1000n));
      expect(state.committedRoot()).toEqual(res.root);
      const again = await persistAndReopen(db, res);
      expect(again.getAccount(A)).toEqual(acct(3, 1000n));
      expect(again.getAccount(B)).toEqual(acct(0, 2n ** 64n - 1n));
      expect(again.getAccount(C)).toEqual(EMPTY_ACCOUNT);
    });

    it('stores code under its own key and sets the codeHash, keeping nonce and balance', async () => {
      const { db, state } = await fresh();
      const code = Uint8Array.from({ length: 100 }, (_, i) => i);
      state.setAccount(C, acct(1, 7n));
      state.setCode(C, code);
      expect(state.getCode(C)).toEqual(code);
      expect(state.getAccount(C)).toEqual(acct(1, 7n, sha256(code)));
      expect(state.getCode(A)).toBeUndefined();
      const again = await persistAndReopen(db, await state.commit());
      expect(again.getCode(C)).toEqual(code);
      expect(again.getAccount(C).codeHash).toEqual(sha256(code));
    });

    it('a contract with no balance or nonce is still stored (its codeHash makes it non-empty)', async () => {
      const { state, trie } = await fresh();
      const empty = trie.root();
      state.setCode(C, Uint8Array.of(1, 2, 3));
      const { root } = await state.commit();
      expect(root).not.toEqual(empty);
      expect(state.getAccount(C).codeHash).not.toBeNull();
    });

    it('writes storage slots per contract; an empty value or undefined deletes', async () => {
      const { db, state, trie } = await fresh();
      const before = trie.root();
      const slot = Uint8Array.of(1);
      state.setStorage(C, slot, Uint8Array.of(42));
      state.setStorage(C, Uint8Array.of(1, 0), Uint8Array.of(43)); // a longer slot key is another slot
      state.setStorage(A, slot, Uint8Array.of(44)); // same slot of another contract
      expect(state.getStorage(C, slot)).toEqual(Uint8Array.of(42));
      expect(state.getStorage(C, Uint8Array.of(1, 0))).toEqual(Uint8Array.of(43));
      expect(state.getStorage(A, slot)).toEqual(Uint8Array.of(44));
      expect(state.getStorage(C, Uint8Array.of(2))).toBeUndefined();
      const res = await state.commit();
      const again = await persistAndReopen(db, res);
      expect(again.getStorage(C, slot)).toEqual(Uint8Array.of(42));

      state.setStorage(C, slot, new Uint8Array(0));
      expect(state.getStorage(C, slot)).toBeUndefined();
      state.setStorage(C, Uint8Array.of(1, 0), undefined);
      state.setStorage(A, slot, undefined);
      expect(state.getStorage(A, slot)).toBeUndefined();
      const cleared = await state.commit();
      expect(cleared.root).toEqual(before);
    });

    it('does not store an empty account: setting one back to empty restores the root', async () => {
      const { state } = await fresh();
      state.setAccount(A, acct(0, 5n));
      const r1 = (await state.commit()).root;
      state.setAccount(B, acct(1, 1n));
      const r2 = (await state.commit()).root;
      expect(r2).not.toEqual(r1);
      state.setAccount(B, acct(0, 0n));
      expect((await state.commit()).root).toEqual(r1);
      // writing the empty account to a never-used address changes nothing
      state.setAccount(C, { ...EMPTY_ACCOUNT });
      expect((await state.commit()).root).toEqual(r1);
    });

    it('commit returns the root of a fresh trie holding the same final contents', async () => {
      const { state } = await fresh();
      const code = Uint8Array.of(9, 9, 9);
      state.setAccount(A, acct(1, 10n));
      state.setAccount(B, acct(2, 20n));
      state.setStorage(C, Uint8Array.of(5), Uint8Array.of(6));
      state.setCode(C, code);
      state.setAccount(A, acct(4, 40n)); // overwritten
      state.setStorage(C, Uint8Array.of(7), Uint8Array.of(8));
      state.setStorage(C, Uint8Array.of(7), undefined); // written then deleted
      state.setAccount(B, { ...EMPTY_ACCOUNT }); // emptied
      const { root, nodes } = await state.commit();
      expect(nodes.length).toBeGreaterThan(0);

      const ref = new Trie({ keyLength: 32 });
      await ref.put(accountKey(A), encodeAccount(acct(4, 40n)));
      await ref.put(accountKey(C), encodeAccount(acct(0, 0n, sha256(code))));
      await ref.put(codeKey(C), code);
      await ref.put(storageKey(C, Uint8Array.of(5)), Uint8Array.of(6));
      expect(toHex(root)).toBe(toHex(ref.flush().root));
    });

    it('gives the same root whatever order the same final writes were made in', async () => {
      const writes: Array<[Uint8Array, Account]> = Array.from({ length: 30 }, (_, i) => [addr(i + 10), acct(i, BigInt(i * 1000 + 1))]);
      const s1 = (await fresh()).state;
      const s2 = (await fresh()).state;
      for (const [a, v] of writes) s1.setAccount(a, v);
      for (const [a, v] of [...writes].reverse()) s2.setAccount(a, v);
      expect((await s1.commit()).root).toEqual((await s2.commit()).root);
    });

    it('snapshot/revertTo undoes exactly the writes after the snapshot, nested', async () => {
      const { state } = await fresh();
      state.setAccount(A, acct(1, 100n));
      const s0 = state.snapshot();
      state.setAccount(A, acct(2, 200n));
      state.setStorage(C, Uint8Array.of(1), Uint8Array.of(1));
      const s1 = state.snapshot();
      state.setAccount(B, acct(0, 5n));
      state.setCode(C, Uint8Array.of(0xfe));
      const s2 = state.snapshot();
      state.setAccount(A, acct(3, 300n));

      state.revertTo(s2);
      expect(state.getAccount(A)).toEqual(acct(2, 200n));
      expect(state.getCode(C)).toEqual(Uint8Array.of(0xfe));
      state.revertTo(s1);
      expect(state.getAccount(B)).toEqual(EMPTY_ACCOUNT);
      expect(state.getCode(C)).toBeUndefined();
      expect(state.getAccount(C)).toEqual(EMPTY_ACCOUNT);
      expect(state.getStorage(C, Uint8Array.of(1))).toEqual(Uint8Array.of(1));
      state.revertTo(s0);
      expect(state.getAccount(A)).toEqual(acct(1, 100n));
      expect(state.getStorage(C, Uint8Array.of(1))).toBeUndefined();
    });

    it('reverting restores the committed value, not the empty account', async () => {
      const { state } = await fresh();
      state.setAccount(A, acct(5, 55n));
      const r = (await state.commit()).root;
      const s = state.snapshot();
      state.setAccount(A, { ...EMPTY_ACCOUNT }); // deletes
      expect(state.getAccount(A)).toEqual(EMPTY_ACCOUNT);
      state.revertTo(s);
      expect(state.getAccount(A)).toEqual(acct(5, 55n));
      expect((await state.commit()).root).toEqual(r);
    });

    it('a reverted write never reaches the trie', async () => {
      const { state } = await fresh();
      state.setAccount(A, acct(1, 1n));
      const base = (await state.commit()).root;
      const s = state.snapshot();
      state.setAccount(B, acct(1, 1n));
      state.setStorage(C, Uint8Array.of(1), Uint8Array.of(1));
      state.revertTo(s);
      expect((await state.commit()).root).toEqual(base);
    });

    it('revertTo with a bad id throws STATE_BAD_SNAPSHOT and changes nothing', async () => {
      const { state } = await fresh();
      state.setAccount(A, acct(1, 1n));
      const s = state.snapshot();
      state.setAccount(A, acct(2, 2n));
      for (const bad of [-1, s + 5, 1.5, Number.NaN, Infinity, 2 ** 60]) {
        expectStateError(() => state.revertTo(bad), 'STATE_BAD_SNAPSHOT');
      }
      expect(state.getAccount(A)).toEqual(acct(2, 2n));
      state.revertTo(s);
      expect(state.getAccount(A)).toEqual(acct(1, 1n));
      // reverting to the same snapshot again is allowed and a no-op
      state.setAccount(B, acct(1, 1n));
      state.revertTo(s);
      expect(state.getAccount(B)).toEqual(EMPTY_ACCOUNT);
      expect(state.getAccount(A)).toEqual(acct(1, 1n));
    });

    it('a snapshot taken inside a reverted range is no longer valid', async () => {
      const { state } = await fresh();
      const outer = state.snapshot();
      state.setAccount(A, acct(1, 1n));
      const inner = state.snapshot();
      state.setAccount(B, acct(1, 1n));
      state.revertTo(outer);
      // later writes must not make the stale inner id point somewhere again
      state.setAccount(C, acct(1, 1n));
      state.setAccount(C, acct(2, 2n));
      expectStateError(() => state.revertTo(inner), 'STATE_BAD_SNAPSHOT');
      expect(state.getAccount(C)).toEqual(acct(2, 2n));
    });

    it('snapshots from before a commit are invalid after it', async () => {
      const { state } = await fresh();
      state.setAccount(A, acct(1, 1n));
      const s = state.snapshot();
      state.setAccount(A, acct(2, 2n));
      await state.commit();
      state.setAccount(A, acct(3, 3n));
      state.setAccount(B, acct(3, 3n));
      expectStateError(() => state.revertTo(s), 'STATE_BAD_SNAPSHOT');
      expect(state.getAccount(A)).toEqual(acct(3, 3n));
    });

    it('reports corrupt stored account bytes as STATE_CORRUPT_ACCOUNT naming the address', async () => {
      const { db, trie } = await fresh();
      const garbage: Value[] = [[1, 2], 'x', [-1, 0, null]];
      const raw = [Uint8Array.of(0xc1, 0xff), ...garbage.map((g) => encode(g))];
      for (let i = 0; i < raw.length; i++) await trie.put(accountKey(addr(50 + i)), raw[i]);
      await trie.put(accountKey(A), encodeAccount(acct(1, 1n)));
      const root = await trie.commit();
      const state = new StateDB(new Trie({ db, root, keyLength: 32 }));
      expect(state.getAccount(A)).toEqual(acct(1, 1n));
      for (let i = 0; i < raw.length; i++) {
        const err = expectStateError(() => state.getAccount(addr(50 + i)), 'STATE_CORRUPT_ACCOUNT');
        expect(err.context.address).toBe(toHex(addr(50 + i)));
      }
      // setCode reads the account first, so it fails the same way instead of overwriting
      expectStateError(() => state.setCode(addr(50), Uint8Array.of(1)), 'STATE_CORRUPT_ACCOUNT');
    });

    it('keeps older roots readable after later commits (history)', async () => {
      const { db, state } = await fresh();
      state.setAccount(A, acct(1, 1n));
      const r1 = await state.commit();
      await db.batch(r1.nodes.map(([key, value]) => ({ type: 'put' as const, key, value })));
      state.setAccount(A, acct(2, 2n));
      const r2 = await state.commit();
      await db.batch(r2.nodes.map(([key, value]) => ({ type: 'put' as const, key, value })));
      expect(new StateDB(new Trie({ db, root: r1.root, keyLength: 32 })).getAccount(A)).toEqual(acct(1, 1n));
      expect(new StateDB(new Trie({ db, root: r2.root, keyLength: 32 })).getAccount(A)).toEqual(acct(2, 2n));
    });
  });
}

describe('state keys', () => {
  it('puts accounts, code and storage in disjoint namespaces', () => {
    const keys = [accountKey(A), codeKey(A), storageKey(A, new Uint8Array(0)), storageKey(A, Uint8Array.of(0))].map(toHex);
    expect(new Set(keys).size).toBe(4);
    expect(accountKey(A)).toEqual(sha256(Uint8Array.of(0), A));
    expect(codeKey(A)).toEqual(sha256(Uint8Array.of(1), A));
    expect(storageKey(A, Uint8Array.of(7))).toEqual(sha256(Uint8Array.of(2), A, Uint8Array.of(7)));
  });
});
