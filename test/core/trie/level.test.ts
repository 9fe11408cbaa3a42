/** LevelTrieDB on a real classic-level database: sublevels, reopening after close, the chain store's batch. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ClassicLevel } from 'classic-level';
import { afterAll, describe, expect, it } from 'vitest';
import { toHex, utf8 } from '../../../core/encoding/hex.js';
import { LevelTrieDB, Trie } from '../../../core/trie/index.js';
import { levelBackend, prng, randomBytes } from './helpers.js';

const level = levelBackend();
afterAll(() => level.cleanup());

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'medchain-trie-'));
  level.dirs.push(dir);
  return dir;
}

describe('LevelTrieDB', () => {
  it('reads a sublevel synchronously once it is open (getSync is forwarded to the parent)', async () => {
    const db = new ClassicLevel<Uint8Array, Uint8Array>(tempDir(), { keyEncoding: 'view', valueEncoding: 'view' });
    await db.open();
    try {
      const sub = db.sublevel<Uint8Array, Uint8Array>('trie', { keyEncoding: 'view', valueEncoding: 'view' });
      // A sublevel of an open database is still 'opening' until the next tick: getSync throws.
      expect(sub.status).toBe('opening');
      expect(() => sub.getSync(Uint8Array.of(1))).toThrow(expect.objectContaining({ code: 'LEVEL_DATABASE_NOT_OPEN' }));
      const tdb = await LevelTrieDB.open(sub);
      await tdb.put(Uint8Array.of(1), Uint8Array.of(2, 3));
      expect(tdb.get(Uint8Array.of(1))).toEqual(Uint8Array.of(2, 3));
      expect(tdb.get(Uint8Array.of(9))).toBeUndefined();
      // Prefixed: the parent does not see the sublevel's key.
      expect(db.getSync(Uint8Array.of(1))).toBeUndefined();
      await tdb.del(Uint8Array.of(1));
      expect(tdb.get(Uint8Array.of(1))).toBeUndefined();
    } finally {
      await db.close();
    }
  });

  it('reopens a trie from its root after the database is closed, values and proofs intact', async () => {
    const dir = tempDir();
    const rand = prng(11);
    const m = new Map<string, Uint8Array>();
    let root: Uint8Array;
    {
      const { db, close } = await level.open(dir);
      const t = new Trie({ db });
      for (let i = 0; i < 3000; i++) {
        const k = randomBytes(rand, 32);
        const v = randomBytes(rand, 1 + Math.floor(rand() * 100));
        await t.put(k, v);
        m.set(toHex(k), v);
      }
      root = await t.commit();
      await close();
    }
    const { db, close } = await level.open(dir);
    try {
      const t = new Trie({ db, root });
      for (const [k, v] of m) {
        const key = Uint8Array.from(Buffer.from(k.slice(2), 'hex'));
        expect(await t.get(key)).toEqual(v);
        expect(Trie.verifyProof(root, key, await t.prove(key))).toEqual(v);
      }
    } finally {
      await close();
    }
  });

  it("flush() nodes go into the caller's own atomic batch with its other writes (the chain store's way)", async () => {
    const dir = tempDir();
    const raw = new ClassicLevel<Uint8Array, Uint8Array>(dir, { keyEncoding: 'view', valueEncoding: 'view' });
    await raw.open();
    const trieSub = raw.sublevel<Uint8Array, Uint8Array>('trie', { keyEncoding: 'view', valueEncoding: 'view' });
    const metaSub = raw.sublevel<Uint8Array, Uint8Array>('meta', { keyEncoding: 'view', valueEncoding: 'view' });
    const t = new Trie({ db: await LevelTrieDB.open(trieSub) });
    await t.put(utf8('account'), utf8('balance 5'));
    const { root, nodes } = t.flush();
    const batch = raw.batch();
    for (const [key, value] of nodes) batch.put(key, value, { sublevel: trieSub });
    batch.put(utf8('head'), root, { sublevel: metaSub });
    await batch.write();
    await raw.close();

    const again = new ClassicLevel<Uint8Array, Uint8Array>(dir, { keyEncoding: 'view', valueEncoding: 'view' });
    await again.open();
    try {
      const meta = again.sublevel<Uint8Array, Uint8Array>('meta', { keyEncoding: 'view', valueEncoding: 'view' });
      const head = (await meta.get(utf8('head'))) as Uint8Array;
      expect(toHex(head)).toBe(toHex(root));
      const reopened = new Trie({ db: await LevelTrieDB.open(again.sublevel('trie', { keyEncoding: 'view', valueEncoding: 'view' })), root: head });
      expect(await reopened.get(utf8('account'))).toEqual(utf8('balance 5'));
    } finally {
      await again.close();
    }
  });
});
