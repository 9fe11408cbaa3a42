/**
 * What the simulation knows that no node does: every signature ever made (fake 64-byte
 * signatures carrying an id into this registry, so certificates and evidence can be checked
 * without real Ed25519), every block built and whether it is valid, and the decisions.
 * The invariants are checked here.
 */
import { isQuorum, totalPower, VOTE_PRECOMMIT, type Commit, type Validator } from '../../../../core/block/index.js';
import type { Evidence, UnsignedProposal, UnsignedVote } from '../../../../core/consensus/index.js';
import { equalBytes, toHex } from '../../../../core/encoding/index.js';
import type { Hash } from '../../../../core/types.js';
import type { Prng } from './prng.js';

/** A signed message as the registry remembers it. */
export type Signed = { kind: 'vote'; vote: UnsignedVote } | { kind: 'proposal'; proposal: UnsignedProposal };

/** An invariant was broken: the run stops and reports it. */
export class Violation extends Error {}

/** The global view: signatures, blocks, decisions. */
export class World {
  readonly signed: Signed[] = [];
  readonly blocks = new Map<string, { height: number; valid: boolean }>();
  readonly blocksAt = new Map<number, Hash[]>();
  readonly decided = new Map<number, string>();
  /** Honest signatures per (validator, height, round, step) → value, to catch an honest double sign. */
  readonly honestSigned = new Map<string, string>();

  constructor(
    readonly validators: readonly Validator[],
    readonly byzantine: ReadonlySet<number>,
  ) {}

  /** A fake signature: its first 4 bytes are the registry id. */
  sign(what: Signed): Uint8Array {
    const sig = new Uint8Array(64);
    new DataView(sig.buffer).setUint32(0, this.signed.length);
    this.signed.push(what);
    return sig;
  }

  /** What a fake signature signed. */
  lookup(sig: Uint8Array): Signed | undefined {
    return sig.length === 64 ? this.signed[new DataView(sig.buffer, sig.byteOffset).getUint32(0)] : undefined;
  }

  /** A new block for `height` with a random hash. */
  newBlock(rng: Prng, height: number, valid: boolean): Hash {
    const hash = rng.bytes(32);
    this.blocks.set(toHex(hash), { height, valid });
    const list = this.blocksAt.get(height) ?? [];
    list.push(hash);
    this.blocksAt.set(height, list);
    return hash;
  }

  /** valid(v) as the app computes it at `height`. */
  isValid(hash: Hash, height: number): boolean {
    const b = this.blocks.get(toHex(hash));
    return b !== undefined && b.valid && b.height === height;
  }

  /** Records an honest signature; throws on a second, different one at the same step. */
  noteHonestSignature(i: number, height: number, round: number, step: number, value: string): void {
    const key = `${i}/${height}/${round}/${step}`;
    const prev = this.honestSigned.get(key);
    if (prev !== undefined && prev !== value) {
      throw new Violation(`honest validator ${i} double-signed at height ${height} round ${round} step ${step}: ${prev} vs ${value}`);
    }
    this.honestSigned.set(key, value);
  }

  /** Checks a commit certificate against the registry: real precommits for the block, > 2/3 of the power. */
  checkCertificate(height: number, hash: Hash, c: Commit): void {
    const fail = (msg: string) => new Violation(`bad commit certificate at height ${height}: ${msg}`);
    if (c.height !== height || !equalBytes(c.blockHash, hash)) throw fail('wrong height or block');
    let power = 0;
    let last = -1;
    for (const [i, sig] of c.signatures) {
      if (i <= last || i >= this.validators.length) throw fail(`bad index ${i}`);
      last = i;
      const s = this.lookup(sig);
      if (!s || s.kind !== 'vote') throw fail(`signature of ${i} is not a vote`);
      const v = s.vote;
      if (v.validatorIndex !== i || v.type !== VOTE_PRECOMMIT || v.height !== height || v.round !== c.round) throw fail(`signature of ${i} is for another vote`);
      if (v.blockHash === null || !equalBytes(v.blockHash, hash)) throw fail(`signature of ${i} is for another value`);
      power += this.validators[i].power;
    }
    if (!isQuorum(power, totalPower(this.validators))) throw fail('no quorum');
  }

  /** Safety: one decision per height, and only valid blocks are decided. */
  noteDecision(node: number, height: number, hash: Hash): void {
    const key = toHex(hash);
    const prev = this.decided.get(height);
    if (prev !== undefined && prev !== key) throw new Violation(`SAFETY: validator ${node} committed ${key} at height ${height}, another committed ${prev}`);
    if (!this.isValid(hash, height)) throw new Violation(`validator ${node} committed an invalid block ${key} at height ${height}`);
    this.decided.set(height, key);
  }

  /** Evidence must be two real signatures of one validator for different values — and never name an honest one. */
  checkEvidence(reporter: number, ev: Evidence): void {
    const a = this.lookup(ev.vote1.signature);
    const b = this.lookup(ev.vote2.signature);
    const i = ev.vote1.validatorIndex;
    if (!a || !b || a.kind !== 'vote' || b.kind !== 'vote' || a.vote.validatorIndex !== i || b.vote.validatorIndex !== i) {
      throw new Violation(`validator ${reporter} reported evidence with signatures that are not ${i}'s votes`);
    }
    if (!this.byzantine.has(i)) throw new Violation(`validator ${reporter} accused honest validator ${i} of equivocation`);
  }
}
