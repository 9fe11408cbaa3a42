import { toHex } from '../encoding/index.js';
import { sha256 } from '../crypto/index.js';
import type { Trie } from '../trie/index.js';
import type { Address, Hash } from '../types.js';
import { decodeAccount, EMPTY_ACCOUNT, encodeAccount, isEmptyAccount, type Account } from './account.js';
import { StateError } from './errors.js';
import { accountKey, codeKey, storageKey } from './keys.js';

/** A pending write: the hashed trie key and the new value (null = delete). */
interface Write {
  key: Hash;
  value: Uint8Array | null;
}

/**
 * The world state during block execution: synchronous reads through the trie, writes kept in
 * an overlay with a journal so one transaction's writes can be undone without touching the
 * others' (`snapshot`/`revertTo`). `commit` moves the overlay into the trie and hashes once.
 * Reads are synchronous so the VM loop never awaits (the trie reads its db synchronously).
 */
export class StateDB {
  private readonly trie: Trie;
  /** mapKey(trie key) → pending write; insertion-ordered, so flushing is deterministic. */
  private readonly overlay = new Map<string, Write>();
  /** Undo log: [hex key, the overlay entry it replaced (undefined = none)]. */
  private readonly journal: Array<[string, Write | undefined]> = [];
  /**
   * Live snapshots, ascending: [id, journal length when taken] (go-ethereum's validRevisions).
   * Ids are never reused, so a snapshot taken inside a range that was since reverted, or
   * before a commit, is rejected instead of silently rolling back to an unrelated point.
   */
  private readonly revisions: Array<[number, number]> = [];
  private nextRevision = 0;
  /** Memo of address → trie key: a block reads each sender several times (one sha256 each). */
  private readonly accountKeys = new Map<string, Hash>();

  constructor(trie: Trie) {
    this.trie = trie;
  }

  /** Raw read of a hashed trie key, overlay first. */
  private read(key: Hash): Uint8Array | undefined {
    const w = this.overlay.get(mapKey(key));
    if (w) return w.value ?? undefined;
    return this.trie.getSync(key);
  }

  private write(key: Hash, value: Uint8Array | null): void {
    const hex = mapKey(key);
    this.journal.push([hex, this.overlay.get(hex)]);
    this.overlay.set(hex, { key, value });
  }

  /** The account at `address` (the empty account if none). */
  getAccount(address: Address): Account {
    const raw = this.read(this.accountKeyOf(address));
    return raw ? decodeAccount(raw, toHex(address)) : { ...EMPTY_ACCOUNT };
  }

  /** Replaces the account at `address`; an empty account is deleted from the trie. */
  setAccount(address: Address, account: Account): void {
    this.write(this.accountKeyOf(address), isEmptyAccount(account) ? null : encodeAccount(account));
  }

  private accountKeyOf(address: Address): Hash {
    const k = mapKey(address);
    let key = this.accountKeys.get(k);
    if (key === undefined) {
      key = accountKey(address);
      this.accountKeys.set(k, key);
    }
    return key;
  }

  /** Contract code at `address`, or undefined for a plain account. */
  getCode(address: Address): Uint8Array | undefined {
    return this.read(codeKey(address));
  }

  /** Stores contract code and sets the account's codeHash. */
  setCode(address: Address, code: Uint8Array): void {
    this.write(codeKey(address), code);
    this.setAccount(address, { ...this.getAccount(address), codeHash: sha256(code) });
  }

  /** One storage slot of a contract. */
  getStorage(address: Address, slot: Uint8Array): Uint8Array | undefined {
    return this.read(storageKey(address, slot));
  }

  /** Writes a storage slot; `undefined` (or an empty value) deletes it. */
  setStorage(address: Address, slot: Uint8Array, value: Uint8Array | undefined): void {
    this.write(storageKey(address, slot), value && value.length > 0 ? value : null);
  }

  /** A point to roll back to. */
  snapshot(): number {
    const id = this.nextRevision++;
    this.revisions.push([id, this.journal.length]);
    return id;
  }

  /**
   * Undoes every write made since `snapshot` was taken. Snapshots taken after it become
   * invalid; it stays valid itself (reverting to it again is a no-op).
   */
  revertTo(snapshot: number): void {
    const at = this.revisionIndex(snapshot);
    if (at < 0) {
      throw new StateError('STATE_BAD_SNAPSHOT', `no snapshot ${snapshot}`, { snapshot, live: this.revisions.length });
    }
    const length = this.revisions[at][1];
    this.revisions.length = at + 1;
    while (this.journal.length > length) {
      const [hex, prev] = this.journal.pop()!;
      if (prev) this.overlay.set(hex, prev);
      else this.overlay.delete(hex);
    }
  }

  /** Index of live snapshot `id` in `revisions` (binary search: ids ascend), or -1. */
  private revisionIndex(id: number): number {
    let lo = 0;
    let hi = this.revisions.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.revisions[mid][0];
      if (v === id) return mid;
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /**
   * Applies the overlay to the trie and hashes it: returns the new state root and the trie
   * nodes to store (the caller writes them in the block's atomic batch).
   */
  async commit(): Promise<{ root: Hash; nodes: Array<[Uint8Array, Uint8Array]> }> {
    for (const { key, value } of this.overlay.values()) {
      if (value === null) await this.trie.del(key);
      else await this.trie.put(key, value);
    }
    this.overlay.clear();
    this.journal.length = 0;
    this.revisions.length = 0;
    return this.trie.flush();
  }

  /** The root of the trie as of the last commit (pending overlay writes excluded). */
  committedRoot(): Hash {
    return this.trie.root();
  }
}

/** A Map key for bytes: latin1 is one char per byte, ~3x cheaper to build than hex. */
function mapKey(bytes: Uint8Array): string {
  return String.fromCharCode.apply(null, bytes as unknown as number[]);
}
