/**
 * ethereum/tests TrieTests: with Keccak-256 the trie must give every official root, and with
 * SHA-256 the roots of trie-sha256-roots.json (computed by @ethereumjs/mpt). Vendored in
 * test/fixtures/trie with their provenance.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { toHex } from '../../../core/encoding/hex.js';
import { Trie, type HashFn } from '../../../core/trie/index.js';
import { keccak, levelBackend, memoryBackend, prng, sha256, shuffle, vectorBytes, type Backend } from './helpers.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/trie');
const load = (f: string): unknown => JSON.parse(readFileSync(path.join(fixtures, f), 'utf8'));

type Pair = [string, string | null];
interface Case {
  in: Pair[] | Record<string, string | null>;
  root: string;
}
interface Sha256Roots {
  emptyTrieRoot: Record<string, string>;
  roots: Record<string, Record<string, { expectedKeccakRoot: string; sha256Root: string }>>;
}

const GROUPS: Array<{ group: string; file: string; secure: boolean }> = [
  { group: 'trietest', file: 'ethereum-trie-trietest.json', secure: false },
  { group: 'trietest_secureTrie', file: 'ethereum-trie-trietest_secureTrie.json', secure: true },
  { group: 'trieanyorder', file: 'ethereum-trie-trieanyorder.json', secure: false },
  { group: 'trieanyorder_secureTrie', file: 'ethereum-trie-trieanyorder_secureTrie.json', secure: true },
  { group: 'hex_encoded_securetrie_test', file: 'ethereum-trie-hex_encoded_securetrie_test.json', secure: true },
];
const sha256Roots = load('trie-sha256-roots.json') as Sha256Roots;
const HASHES: Array<{ name: string; hash: HashFn; expected: (group: string, name: string, c: Case) => string }> = [
  { name: 'keccak-256', hash: keccak, expected: (_g, _n, c) => c.root },
  { name: 'sha-256', hash: sha256, expected: (g, n) => sha256Roots.roots[g][n].sha256Root },
];

function pairsOf(c: Case): Pair[] {
  return Array.isArray(c.in) ? c.in : Object.entries(c.in);
}

/** Applies `pairs` in order and commits; returns the root and the final key → value map. */
async function run(trie: Trie, pairs: Pair[], hash: HashFn, secure: boolean) {
  const final = new Map<string, Uint8Array>();
  for (const [k, v] of pairs) {
    const key = secure ? hash(vectorBytes(k)) : vectorBytes(k);
    if (v === null) await trie.del(key);
    else await trie.put(key, vectorBytes(v));
    if (v === null || vectorBytes(v).length === 0) final.delete(toHex(key));
    else final.set(toHex(key), vectorBytes(v));
  }
  return { root: await trie.commit(), final };
}

const level = levelBackend();
afterAll(() => level.cleanup());

describe('ethereum/tests TrieTests', () => {
  it('has the empty roots of the fixture', () => {
    expect(toHex(new Trie({ hash: keccak }).root())).toBe(sha256Roots.emptyTrieRoot['keccak256(0x80)']);
    expect(toHex(new Trie().root())).toBe(sha256Roots.emptyTrieRoot['sha256(0x80)']);
  });

  for (const backend of [memoryBackend, level] as Backend[]) {
    for (const { group, file, secure } of GROUPS) {
      const cases = load(file) as Record<string, Case>;
      for (const { name: hashName, hash, expected } of HASHES) {
        describe(`${backend.name} ${group} ${hashName}`, () => {
          for (const [name, c] of Object.entries(cases)) {
            it(name, async () => {
              const db = await backend.create();
              const want = expected(group, name, c);
              const { root, final } = await run(new Trie({ db, hash }), pairsOf(c), hash, secure);
              expect(toHex(root)).toBe(want);
              // Read everything back through a trie opened from the stored root.
              const reopened = new Trie({ db, hash, root });
              for (const [k, v] of final) expect(await reopened.get(vectorBytes(k))).toEqual(v);
              for (const [k] of final) expect(Trie.verifyProof(root, vectorBytes(k), await reopened.prove(vectorBytes(k)), hash)).toEqual(final.get(k));
            });
          }
        });
      }
    }
  }

  describe('trieanyorder roots do not depend on insertion order', () => {
    const rand = prng(20260101);
    for (const { group, file, secure } of GROUPS.filter((g) => g.group.startsWith('trieanyorder'))) {
      const cases = load(file) as Record<string, Case>;
      for (const { name: hashName, hash, expected } of HASHES) {
        it(`${group} ${hashName}`, async () => {
          for (const [name, c] of Object.entries(cases)) {
            for (let i = 0; i < 8; i++) {
              const { root } = await run(new Trie({ hash }), shuffle(pairsOf(c), rand), hash, secure);
              expect(toHex(root), name).toBe(expected(group, name, c));
            }
          }
        });
      }
    }
  });

  it('the fixture roots file agrees with the official keccak roots', () => {
    for (const { group, file } of GROUPS) {
      const cases = load(file) as Record<string, Case>;
      for (const [name, c] of Object.entries(cases)) expect(sha256Roots.roots[group][name].expectedKeccakRoot).toBe(c.root);
    }
  });
});
