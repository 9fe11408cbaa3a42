/** Trie behaviour: get/put/del, commit and flush semantics, historical roots, proofs, options. Both backends. */
import { afterAll, describe, expect, it } from 'vitest';
import { toHex, utf8 } from '../../../core/encoding/hex.js';
import { MAX_KEY_LENGTH, MemoryTrieDB, Trie, type TrieDB } from '../../../core/trie/index.js';
import { NodeStore } from '../../../core/trie/nodeStore.js';
import { FullNode, HashNode } from '../../../core/trie/nodes.js';
import { keccak, levelBackend, memoryBackend, prng, randomBytes, sha256, type Backend } from './helpers.js';

const level = levelBackend();
afterAll(() => level.cleanup());
const b = (s: string) => utf8(s);

/** A db wrapper counting writes, to show what flush and commit store. */
function counting(db: TrieDB) {
  const counts = { batches: 0, puts: 0 };
  const wrapped: TrieDB = {
    get: (h) => db.get(h),
    put: (h, n) => db.put(h, n),
    del: (h) => db.del(h),
    batch: async (ops) => {
      counts.batches++;
      counts.puts += ops.length;
      await db.batch(ops);
    },
  };
  return { db: wrapped, counts };
}

async function fill(t: Trie, n: number, seed: number): Promise<Map<string, Uint8Array>> {
  const rand = prng(seed);
  const m = new Map<string, Uint8Array>();
  for (let i = 0; i < n; i++) {
    const k = randomBytes(rand, 32);
    const v = randomBytes(rand, 1 + Math.floor(rand() * 80));
    await t.put(k, v);
    m.set(toHex(k), v);
  }
  return m;
}

const keyOf = (hex: string) => Uint8Array.from(Buffer.from(hex.slice(2), 'hex'));

for (const backend of [memoryBackend, level] as Backend[]) {
  describe(`Trie (${backend.name})`, () => {
    it('starts empty at hash(rlp(""))', async () => {
      const t = new Trie({ db: await backend.create() });
      expect(toHex(t.root())).toBe('0x76be8b528d0075f7aae98d6fa57a6d3c83ae480a8469e668d7b0af968995ac71');
      expect(t.root()).toEqual(sha256(Uint8Array.of(0x80)));
      expect(await t.get(b('x'))).toBeUndefined();
      expect(await t.commit()).toEqual(t.emptyRoot);
    });

    it('puts, overwrites, deletes; an empty value deletes (Ethereum / @ethereumjs/mpt semantics)', async () => {
      const t = new Trie({ db: await backend.create() });
      await t.put(b('dog'), b('puppy'));
      await t.put(b('do'), b('verb'));
      await t.put(b('dog'), b('hound'));
      expect(await t.get(b('dog'))).toEqual(b('hound'));
      expect(await t.get(b('do'))).toEqual(b('verb'));
      expect(await t.get(b('d'))).toBeUndefined();
      expect(await t.get(b('dogs'))).toBeUndefined();
      const withDo = await t.commit();
      await t.put(b('do'), new Uint8Array(0));
      expect(await t.get(b('do'))).toBeUndefined();
      const only = new Trie();
      await only.put(b('dog'), b('hound'));
      expect(await t.commit()).toEqual(await only.commit());
      await t.put(b('do'), b('verb'));
      expect(await t.commit()).toEqual(withDo);
      await t.del(b('do'));
      await t.del(b('dog'));
      expect(await t.commit()).toEqual(t.emptyRoot);
    });

    it('keeps the rest of the trie when the empty key is deleted (unlike @ethereumjs/mpt 10.1.3)', async () => {
      const t = new Trie({ db: await backend.create() });
      await t.put(Uint8Array.of(0), b('zero'));
      await t.put(new Uint8Array(0), b('empty'));
      expect(await t.get(new Uint8Array(0))).toEqual(b('empty'));
      await t.del(new Uint8Array(0));
      expect(await t.get(Uint8Array.of(0))).toEqual(b('zero'));
      const ref = new Trie();
      await ref.put(Uint8Array.of(0), b('zero'));
      expect(await t.commit()).toEqual(await ref.commit());
    });

    it('deleting an absent key or re-putting the same value changes nothing', async () => {
      const t = new Trie({ db: await backend.create() });
      await fill(t, 50, 1);
      const root = await t.commit();
      await t.del(b('absent'));
      expect(t.dirty).toBe(false);
      const m = await fill(new Trie(), 50, 1);
      for (const [k, v] of m) await t.put(keyOf(k), v);
      expect(t.dirty).toBe(false);
      expect(t.flush()).toEqual({ root, nodes: [] });
    });

    it('root() is the committed root; get sees uncommitted changes; getSync = get', async () => {
      const t = new Trie({ db: await backend.create() });
      await t.put(b('a'), b('1'));
      expect(t.root()).toEqual(t.emptyRoot);
      expect(t.dirty).toBe(true);
      expect(await t.get(b('a'))).toEqual(b('1'));
      expect(t.getSync(b('a'))).toEqual(b('1'));
      const r = await t.commit();
      expect(t.root()).toEqual(r);
      expect(t.dirty).toBe(false);
    });

    it('flush() hashes once and returns the new nodes without writing them', async () => {
      const { db, counts } = counting(await backend.create());
      const t = new Trie({ db });
      const m = await fill(t, 300, 2);
      const { root, nodes } = t.flush();
      expect(counts.batches).toBe(0);
      expect(db.get(root)).toBeUndefined();
      expect(t.root()).toEqual(root);
      for (const [h, n] of nodes) expect(toHex(sha256(n))).toBe(toHex(h));
      expect(toHex(nodes[nodes.length - 1][0])).toBe(toHex(root)); // children first, root last
      // Unwritten nodes still answer reads: this trie, a trie at the new root, and proofs.
      const at = t.at(root);
      for (const [k, v] of m) {
        expect(await t.get(keyOf(k))).toEqual(v);
        expect(await at.get(keyOf(k))).toEqual(v);
        expect(Trie.verifyProof(root, keyOf(k), await at.prove(keyOf(k)))).toEqual(v);
      }
      expect(t.stats.pendingNodes).toBe(nodes.length);
      // The caller writes them in one batch; a fresh trie over the db then reads everything.
      await db.batch(nodes.map(([key, value]) => ({ type: 'put', key, value })));
      const fresh = new Trie({ db, root });
      for (const [k, v] of m) expect(await fresh.get(keyOf(k))).toEqual(v);
      // The next flush sees the root in the db and releases the held nodes.
      await t.put(b('x'), b('y'));
      const second = t.flush();
      expect(t.stats.pendingNodes).toBe(second.nodes.length);
      expect(t.flush()).toEqual({ root: second.root, nodes: [] });
    });

    it('nodes read from an unwritten flush own their bytes instead of pinning the flush encoding chunk', async () => {
      const t = new Trie({ db: await backend.create() });
      await fill(t, 3000, 5); // ~1 MB of encodings: the flush arena reaches its 256 KiB chunks
      const { nodes } = t.flush();
      expect(Math.max(...nodes.map(([, n]) => n.buffer.byteLength))).toBeGreaterThanOrEqual(256 * 1024);
      // A second store over an empty database holding the flush as unwritten: every node comes from it.
      const store = new NodeStore(new MemoryTrieDB(), sha256);
      store.addPending(nodes[nodes.length - 1][0], nodes);
      let views = 0;
      for (const [hash, enc] of nodes) {
        const n = store.resolve(new HashNode(hash), new Uint8Array(0), 0);
        // What a cached node keeps: its encoding (branches) or value and key views (short nodes).
        const kept = n instanceof FullNode ? n.raw! : (n.val as Uint8Array);
        if (!(kept instanceof Uint8Array)) continue;
        views++;
        expect(kept.buffer.byteLength).toBe(enc.length);
      }
      expect(views).toBeGreaterThan(1000);
    });

    it('commit() writes exactly one batch and the trie reopens from its root', async () => {
      const { db, counts } = counting(await backend.create());
      const t = new Trie({ db });
      const m = await fill(t, 500, 3);
      const root = await t.commit();
      expect(counts.batches).toBe(1);
      expect(t.stats.pendingNodes).toBe(0);
      const reopened = new Trie({ db, root });
      for (const [k, v] of m) expect(await reopened.get(keyOf(k))).toEqual(v);
      expect(await t.commit()).toEqual(root);
      expect(counts.batches).toBe(1);
    });

    it('at(root) reads historical state and proves against it', async () => {
      const t = new Trie({ db: await backend.create() });
      await t.put(b('k1'), b('old'));
      await t.put(b('k2'), b('two'));
      const r1 = await t.commit();
      await t.put(b('k1'), b('new'));
      await t.del(b('k2'));
      const r2 = await t.commit();
      const h1 = t.at(r1);
      expect(await h1.get(b('k1'))).toEqual(b('old'));
      expect(await h1.get(b('k2'))).toEqual(b('two'));
      expect(await t.at(r2).get(b('k2'))).toBeUndefined();
      expect(Trie.verifyProof(r1, b('k2'), await h1.prove(b('k2')))).toEqual(b('two'));
      expect(Trie.verifyProof(r2, b('k2'), await t.prove(b('k2')))).toBeUndefined();
    });

    it('never changes a cached node: updates through the shared cache copy it', async () => {
      const t = new Trie({ db: await backend.create() });
      const m = await fill(t, 200, 8);
      const r1 = await t.commit();
      const reader = t.at(r1);
      for (const k of m.keys()) await reader.get(keyOf(k)); // every path now in the node cache
      const writer = t.at(r1);
      for (const k of m.keys()) await writer.put(keyOf(k), b('new'));
      await writer.commit();
      for (const [k, v] of m) {
        expect(await reader.get(keyOf(k))).toEqual(v);
        expect(await t.at(r1).get(keyOf(k))).toEqual(v);
        expect(await writer.get(keyOf(k))).toEqual(b('new'));
      }
    });

    it('a long-lived trie updates its own committed nodes in place and keeps every root readable', async () => {
      const t = new Trie({ db: await backend.create() });
      const m = await fill(t, 300, 9);
      const roots: Array<[Uint8Array, Map<string, Uint8Array>]> = [[await t.commit(), new Map(m)]];
      for (let round = 0; round < 4; round++) {
        let i = 0;
        for (const k of m.keys()) if (i++ % 3 === round % 3) m.set(k, b(`round ${round}`));
        for (const [k, v] of m) await t.put(keyOf(k), v);
        const ref = new Trie();
        for (const [k, v] of m) await ref.put(keyOf(k), v);
        const root = await t.commit();
        expect(root).toEqual(await ref.commit());
        roots.push([root, new Map(m)]);
      }
      for (const [root, state] of roots) for (const [k, v] of state) expect(await t.at(root).get(keyOf(k))).toEqual(v);
    });

    it('prove() on a trie with uncommitted changes proves the committed state', async () => {
      const t = new Trie({ db: await backend.create() });
      await t.put(b('k'), b('committed'));
      const root = await t.commit();
      await t.put(b('k'), b('pending'));
      expect(Trie.verifyProof(root, b('k'), await t.prove(b('k')))).toEqual(b('committed'));
    });

    it('proves absence: empty branch slot, diverging leaf, diverging extension, key ending at a branch or inside a path', async () => {
      const t = new Trie({ db: await backend.create() });
      const entries: Array<[string, string]> = [
        ['0x0102030405', 'a'.repeat(40)],
        ['0x0102030406', 'b'.repeat(40)], // extension 0102030 4 0, branch below
        ['0x0102', 'c'.repeat(40)], // value in a branch
        ['0x7777', 'd'.repeat(40)],
      ];
      for (const [k, v] of entries) await t.put(keyOf(k), b(v));
      const root = await t.commit();
      for (const [k, v] of entries) expect(Trie.verifyProof(root, keyOf(k), await t.prove(keyOf(k)))).toEqual(b(v));
      for (const k of ['0x0f', '0x7778', '0x0103', '0x010203', '0x01', '0x', '0x0102030405ff', '0x77']) {
        const proof = await t.prove(keyOf(k));
        expect(proof.length).toBeGreaterThan(0);
        expect(Trie.verifyProof(root, keyOf(k), proof), k).toBeUndefined();
      }
    });

    it('copies values in and out', async () => {
      const t = new Trie({ db: await backend.create() });
      const v = b('value');
      await t.put(b('k'), v);
      v[0] = 0;
      expect(await t.get(b('k'))).toEqual(b('value'));
      const out = (await t.get(b('k'))) as Uint8Array;
      out[0] = 0;
      expect(await t.get(b('k'))).toEqual(b('value'));
      await t.commit();
      const viaDb = (await t.at(t.root()).get(b('k'))) as Uint8Array;
      expect(Object.getPrototypeOf(viaDb)).toBe(Uint8Array.prototype);
    });

    it('works with keccak-256 over the same db contract', async () => {
      const t = new Trie({ db: await backend.create(), hash: keccak });
      expect(toHex(t.root())).toBe('0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421');
      const m = await fill(t, 100, 4);
      const root = await t.commit();
      const reopened = new Trie({ db: t.db, root, hash: keccak });
      for (const [k, v] of m) expect(Trie.verifyProof(root, keyOf(k), await reopened.prove(keyOf(k)), keccak)).toEqual(v);
    });
  });
}

describe('Trie options and limits', () => {
  it('bounds the node cache', async () => {
    const t = new Trie({ cacheSize: 64 });
    const m = await fill(t, 2000, 5);
    const root = await t.commit();
    const reader = t.at(root);
    for (const k of m.keys()) await reader.get(keyOf(k));
    expect(reader.stats.cachedNodes).toBeGreaterThan(0);
    expect(reader.stats.cachedNodes).toBeLessThanOrEqual(128);
  });

  it('enforces keyLength, MAX_KEY_LENGTH and argument types with typed errors', async () => {
    const t = new Trie({ keyLength: 32 });
    const code = (c: string) => expect.objectContaining({ code: c });
    await expect(t.put(new Uint8Array(31), b('v'))).rejects.toThrow(code('TRIE_INVALID_KEY'));
    await expect(t.get(new Uint8Array(33))).rejects.toThrow(code('TRIE_INVALID_KEY'));
    await expect(t.prove(new Uint8Array(0))).rejects.toThrow(code('TRIE_INVALID_KEY'));
    expect(() => t.getSync('key' as unknown as Uint8Array)).toThrow(code('TRIE_INVALID_KEY'));
    const free = new Trie();
    await expect(free.put(new Uint8Array(MAX_KEY_LENGTH + 1), b('v'))).rejects.toThrow(code('TRIE_INVALID_KEY'));
    await free.put(new Uint8Array(MAX_KEY_LENGTH).fill(0xab), b('v'));
    await expect(free.put(b('k'), 'v' as unknown as Uint8Array)).rejects.toThrow(code('TRIE_INVALID_VALUE'));
    await expect(free.put(b('k'), null as unknown as Uint8Array)).rejects.toThrow(code('TRIE_INVALID_VALUE'));
    expect(() => new Trie({ root: new Uint8Array(31) })).toThrow(code('TRIE_INVALID_ROOT'));
    expect(() => new Trie({ hash: () => new Uint8Array(20) })).toThrow(code('TRIE_INVALID_OPTIONS'));
    expect(() => new Trie({ cacheSize: 0 })).toThrow(code('TRIE_INVALID_OPTIONS'));
    expect(() => new Trie({ keyLength: -1 })).toThrow(code('TRIE_INVALID_OPTIONS'));
  });

  it('reports a missing root with its hash and path', async () => {
    const root = sha256(b('nowhere'));
    const t = new Trie({ db: new MemoryTrieDB(), root });
    await expect(t.get(b('k'))).rejects.toThrow(expect.objectContaining({ code: 'TRIE_MISSING_NODE', context: { hash: toHex(root), path: '' } }));
  });

  it('is deterministic: the same operations give the same nodes in the same order', async () => {
    const run = async () => {
      const t = new Trie();
      await fill(t, 300, 6);
      return t.flush();
    };
    const [x, y] = [await run(), await run()];
    expect(x.nodes.map(([h]) => toHex(h))).toEqual(y.nodes.map(([h]) => toHex(h)));
  });

  it('retries the nodes of a failed commit batch on the next commit', async () => {
    const inner = new MemoryTrieDB();
    let fail = true;
    const db: TrieDB = {
      get: (h) => inner.get(h),
      put: (h, n) => inner.put(h, n),
      del: (h) => inner.del(h),
      batch: async (ops) => {
        if (fail) throw new Error('disk full');
        await inner.batch(ops);
      },
    };
    const t = new Trie({ db });
    const m = await fill(t, 100, 7);
    await expect(t.commit()).rejects.toThrow('disk full');
    fail = false;
    const root = await t.commit();
    const reopened = new Trie({ db: inner, root });
    for (const [k, v] of m) expect(await reopened.get(keyOf(k))).toEqual(v);
  });
});
