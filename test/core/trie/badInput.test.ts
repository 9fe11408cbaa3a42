/**
 * Bad input: malformed proofs, corrupted or missing nodes in the database (both backends),
 * non-canonical node encodings. Every case must end in a typed TrieError, never in another
 * exception and never in a wrong answer.
 */
import { createMerkleProof, createMPT } from '@ethereumjs/mpt';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromHex, toHex, utf8 } from '../../../core/encoding/hex.js';
import { decodeNode } from '../../../core/trie/codec.js';
import { rlp, Trie, TrieError, type TrieDB } from '../../../core/trie/index.js';
import { levelBackend, memoryBackend, prng, randomBytes, sha256, type Backend } from './helpers.js';

const code = (c: string) => expect.objectContaining({ code: c });

/** Runs `f`; returns its value, or the code of the TrieError it threw (anything else fails the test). */
function outcome<T>(f: () => T): T | { error: string } {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof TrieError)) throw new Error(`not a TrieError: ${String(e)}`);
    return { error: e.code };
  }
}

interface Fixture {
  root: Uint8Array;
  entries: Array<[Uint8Array, Uint8Array]>;
  trie: Trie;
}

/**
 * A trie of 300 random entries: half with 32-byte keys (a deep trie), half with 1-3 byte keys
 * and 1-byte values (leaves short enough to be embedded). `entries` holds every key with its
 * value plus 50 absent keys (empty value).
 */
async function fixture(db?: TrieDB, seed = 21): Promise<Fixture> {
  const rand = prng(seed);
  const trie = new Trie(db ? { db } : {});
  const model = new Map<string, [Uint8Array, Uint8Array]>();
  for (let i = 0; i < 300; i++) {
    const short = i % 2 === 0;
    const k = randomBytes(rand, short ? 1 + Math.floor(rand() * 3) : 32);
    const v = randomBytes(rand, short ? 1 : 1 + Math.floor(rand() * 60));
    await trie.put(k, v);
    model.set(toHex(k), [k, v]);
  }
  for (let i = 0; i < 50; i++) {
    const k = randomBytes(rand, i % 2 ? 32 : 4);
    if (!model.has(toHex(k))) model.set(toHex(k), [k, new Uint8Array(0)]);
  }
  const root = await trie.commit();
  return { root, entries: [...model.values()], trie };
}

describe('malformed proofs', () => {
  let f: Fixture;
  let present: Uint8Array;
  let proof: Uint8Array[];
  beforeAll(async () => {
    f = await fixture();
    present = f.entries.find(([k, v]) => v.length > 0 && k.length === 32)![0];
    proof = await f.trie.prove(present);
    expect(proof.length).toBeGreaterThan(2);
  });

  it('rejects truncated, wrong, extra, reordered and garbage proofs with TRIE_BAD_PROOF', async () => {
    const other = await f.trie.prove(f.entries.find(([k, v]) => v.length > 0 && k.length === 32 && toHex(k) !== toHex(present))![0]);
    const bad: Uint8Array[][] = [
      proof.slice(0, -1), // truncated
      proof.slice(1), // root missing
      [...proof, proof[proof.length - 1]], // extra node
      [...proof, utf8('junk')],
      [proof[0], other[other.length - 1], ...proof.slice(2)], // wrong node: another key's leaf
      [proof[0], proof[2], proof[1], ...proof.slice(3)], // reordered
      [randomBytes(prng(1), 100)], // garbage
      [], // empty, for a non-empty root
      [proof[0].subarray(0, proof[0].length - 1), ...proof.slice(1)], // truncated encoding
      [Uint8Array.from([...proof[0], 0]), ...proof.slice(1)], // oversized encoding
    ];
    for (const p of bad) expect(() => Trie.verifyProof(f.root, present, p)).toThrow(code('TRIE_BAD_PROOF'));
  });

  it('rejects bad argument types and lengths with typed errors', () => {
    expect(() => Trie.verifyProof(f.root.subarray(1), present, proof)).toThrow(code('TRIE_INVALID_ROOT'));
    expect(() => Trie.verifyProof('0x00' as unknown as Uint8Array, present, proof)).toThrow(code('TRIE_INVALID_ROOT'));
    expect(() => Trie.verifyProof(f.root, 'key' as unknown as Uint8Array, proof)).toThrow(code('TRIE_INVALID_KEY'));
    expect(() => Trie.verifyProof(f.root, present, 'proof' as unknown as Uint8Array[])).toThrow(code('TRIE_BAD_PROOF'));
    expect(() => Trie.verifyProof(f.root, present, [proof[0], 'x' as unknown as Uint8Array])).toThrow(code('TRIE_BAD_PROOF'));
  });

  it('a proof for one key never proves another key (wrong key → bad proof or the true answer)', () => {
    for (const [k, v] of f.entries) {
      const r = outcome(() => Trie.verifyProof(f.root, k, proof));
      if (!(r && 'error' in r)) expect(r ?? new Uint8Array(0)).toEqual(v);
      else expect(r.error).toBe('TRIE_BAD_PROOF');
    }
  });

  it('fuzz: a mutated proof (ours or @ethereumjs/mpt format) is rejected or still gives the true answer', async () => {
    const ref = await createMPT({ useKeyHashingFunction: sha256 });
    for (const [k, v] of f.entries) if (v.length > 0) await ref.put(k, v);
    expect(toHex(ref.root())).toBe(toHex(f.root));
    const keys = f.entries.map(([k]) => k);
    const theirs = await Promise.all(keys.map((k) => createMerkleProof(ref, k)));
    const ours = await Promise.all(keys.map((k) => f.trie.prove(k)));
    const mutation = fc.record({
      which: fc.nat(),
      ethFormat: fc.boolean(),
      kind: fc.constantFrom('flip', 'drop', 'dup', 'swap', 'cut', 'grow', 'foreign'),
      at: fc.nat(),
      byte: fc.nat(),
    });
    fc.assert(
      fc.property(mutation, ({ which, ethFormat, kind, at, byte }) => {
        const i = which % keys.length;
        const p: Uint8Array[] = (ethFormat ? theirs : ours)[i].map((n) => n.slice());
        if (p.length === 0) return;
        const j = at % p.length;
        if (kind === 'flip') p[j][byte % p[j].length] ^= 1 << (byte % 8);
        if (kind === 'drop') p.splice(j, 1);
        if (kind === 'dup') p.splice(j, 0, p[j]);
        if (kind === 'swap') [p[j], p[(j + 1) % p.length]] = [p[(j + 1) % p.length], p[j]];
        if (kind === 'cut') p[j] = p[j].subarray(0, byte % p[j].length);
        if (kind === 'grow') p[j] = Uint8Array.from([...p[j], byte & 0xff]);
        if (kind === 'foreign') p[j] = ours[(i + 1 + byte) % ours.length][0];
        const r = outcome(() => Trie.verifyProof(f.root, keys[i], p));
        if (r && 'error' in r) expect(r.error).toBe('TRIE_BAD_PROOF');
        else expect(r ?? new Uint8Array(0)).toEqual(f.entries[i][1]);
      }),
      { numRuns: 3000, seed: 99 },
    );
  });
});

describe('non-canonical node encodings', () => {
  const h32 = '0x' + 'ab'.repeat(32);
  const branch = (slots: string[], value = '0x') => rlp.encode([...slots.map((s) => fromHex(s)), fromHex(value)]);
  const empty16 = Array.from({ length: 16 }, () => '0x');
  const cases: Array<[string, Uint8Array]> = [
    ['not a list', rlp.encode(utf8('node'))],
    ['3 items', rlp.encode([fromHex('0x20'), utf8('a'), utf8('b')])],
    ['18 items', rlp.encode(Array.from({ length: 18 }, () => new Uint8Array(0)))],
    ['31-byte child reference', branch([h32.slice(0, -2), ...empty16.slice(1)])],
    ['leaf with an empty value', rlp.encode([fromHex('0x20'), new Uint8Array(0)])],
    ['extension with an empty path', rlp.encode([fromHex('0x00'), fromHex(h32)])],
    ['bad hex-prefix flag', rlp.encode([fromHex('0x4f'), utf8('v')])],
    ['non-zero padding', rlp.encode([fromHex('0x21'), utf8('v')])],
    ['branch value is a list', rlp.encode([...empty16.map((s) => fromHex(s)), [utf8('v')]])],
    ['extension to an embedded short node', rlp.encode([fromHex('0x11'), [fromHex('0x20'), utf8('v')]])],
    ['embedded node of 32 bytes or more', rlp.encode([...[[fromHex('0x20'), new Uint8Array(40).fill(1)]], ...empty16.slice(1).map((s) => fromHex(s)), new Uint8Array(0)])],
    ['trailing bytes', Uint8Array.from([...branch([h32, ...empty16.slice(1)]), 0])],
  ];
  for (const [name, enc] of cases) {
    it(`rejects: ${name}`, async () => {
      expect(() => decodeNode(enc, sha256(enc))).toThrow(code('TRIE_INVALID_RLP'));
      // Stored under its true hash and used as a root, it is a corrupt node, not a crash.
      const db = await memoryBackend.create();
      await db.put(sha256(enc), enc);
      await expect(new Trie({ db, root: sha256(enc) }).get(utf8('k'))).rejects.toThrow(code('TRIE_CORRUPT_NODE'));
      // As the first node of a proof for that root, a bad proof.
      expect(() => Trie.verifyProof(sha256(enc), utf8('k'), [enc])).toThrow(code('TRIE_BAD_PROOF'));
    });
  }
});

const level = levelBackend();
afterAll(() => level.cleanup());

for (const backend of [memoryBackend, level] as Backend[]) {
  describe(`corrupted database (${backend.name})`, () => {
    it('a flipped, truncated or extended stored node gives TRIE_CORRUPT_NODE, never a wrong value', async () => {
      const db = await backend.create();
      const { root, entries } = await fixture(db, 31);
      const { nodes } = await (async () => {
        const t = new Trie();
        for (const [k, v] of entries) if (v.length > 0) await t.put(k, v);
        return t.flush();
      })();
      expect(toHex(nodes[nodes.length - 1][0])).toBe(toHex(root));
      const rand = prng(5);
      let corrupt = 0;
      for (const [hash, node] of nodes.filter((_, i) => i % 7 === 0 || i === nodes.length - 1)) {
        const mode = Math.floor(rand() * 3);
        const bad =
          mode === 0
            ? Uint8Array.from(node, (x, i) => (i === Math.floor(rand() * node.length) ? x ^ 0x10 : x))
            : mode === 1
              ? node.subarray(0, node.length - 1)
              : Uint8Array.from([...node, 0x80]);
        await db.put(hash, bad);
        const t = new Trie({ db, root });
        for (const [k, v] of entries) {
          const r = await t.get(k).then(
            (x) => x,
            (e: unknown) => {
              if (!(e instanceof TrieError)) throw e;
              return { error: e.code };
            },
          );
          if (r && 'error' in r) {
            expect(r.error).toBe('TRIE_CORRUPT_NODE');
            corrupt++;
          } else expect(r ?? new Uint8Array(0)).toEqual(v);
        }
        await expect(t.prove(entries[0][0]).then(() => 'ok', (e: TrieError) => e.code)).resolves.toMatch(/ok|TRIE_CORRUPT_NODE/);
        await db.put(hash, node);
      }
      expect(corrupt).toBeGreaterThan(0);
    });

    it('a deleted node gives TRIE_MISSING_NODE with its hash and path, for reads and writes', async () => {
      const db = await backend.create();
      const { root, entries, trie } = await fixture(db, 41);
      const [k] = entries.find(([k, v]) => v.length > 0 && k.length === 32)!;
      const proof = await trie.prove(k);
      const victim = proof[proof.length - 1];
      await db.del(sha256(victim));
      const t = new Trie({ db, root });
      const err = await t.get(k).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TrieError);
      expect(err).toMatchObject({ code: 'TRIE_MISSING_NODE', context: { hash: toHex(sha256(victim)) } });
      expect(typeof (err as TrieError).context.path).toBe('string');
      await expect(t.put(k, utf8('new'))).rejects.toThrow(code('TRIE_MISSING_NODE'));
      await expect(t.del(k)).rejects.toThrow(code('TRIE_MISSING_NODE'));
      await expect(t.prove(k)).rejects.toThrow(code('TRIE_MISSING_NODE'));
    });
  });
}
