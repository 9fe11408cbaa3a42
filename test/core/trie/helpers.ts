/** Shared helpers of the trie tests: hashes, vector parsing, both storage backends, a seeded PRNG. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ClassicLevel } from 'classic-level';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { fromHex, utf8 } from '../../../core/encoding/hex.js';
import { LevelTrieDB, MemoryTrieDB, sha256, type TrieDB } from '../../../core/trie/index.js';

export const keccak = (b: Uint8Array): Uint8Array => keccak_256(b);
export { sha256 };

/** A vector string: `0x…` is hex, anything else its ASCII bytes. */
export function vectorBytes(s: string): Uint8Array {
  return s.startsWith('0x') ? fromHex(s) : utf8(s);
}

/** One storage backend under test. */
export interface Backend {
  name: string;
  /** A fresh empty db. */
  create(): Promise<TrieDB>;
  /** Closes everything `create` opened and removes temp dirs. */
  cleanup(): Promise<void>;
}

/** The in-memory backend. */
export const memoryBackend: Backend = {
  name: 'memory',
  create: async () => new MemoryTrieDB(),
  cleanup: async () => {},
};

/** A LevelDB backend: each `create` opens a sublevel of a fresh classic-level in a temp dir. */
export function levelBackend(): Backend & { open(dir: string): Promise<{ db: LevelTrieDB; close(): Promise<void> }>; dirs: string[] } {
  const opened: ClassicLevel<Uint8Array, Uint8Array>[] = [];
  const dirs: string[] = [];
  async function open(dir: string) {
    const level = new ClassicLevel<Uint8Array, Uint8Array>(dir, { keyEncoding: 'view', valueEncoding: 'view' });
    await level.open();
    opened.push(level);
    const sub = level.sublevel<Uint8Array, Uint8Array>('trie', { keyEncoding: 'view', valueEncoding: 'view' });
    return { db: await LevelTrieDB.open(sub), close: () => level.close() };
  }
  return {
    name: 'leveldb',
    dirs,
    open,
    async create() {
      const dir = mkdtempSync(path.join(tmpdir(), 'medchain-trie-'));
      dirs.push(dir);
      return (await open(dir)).db;
    },
    async cleanup() {
      for (const l of opened.splice(0)) if (l.status === 'open') await l.close();
      for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    },
  };
}

/** Deterministic PRNG (mulberry32) so failures reproduce. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` pseudo-random bytes from `rand`. */
export function randomBytes(rand: () => number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(rand() * 256);
  return out;
}

/** A shuffled copy of `xs`. */
export function shuffle<T>(xs: readonly T[], rand: () => number): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}
