import { encode } from '../encoding/index.js';
import { addressOf, sha256 } from '../crypto/index.js';
import type { Address, Hash, PublicKey } from '../types.js';

/** A validator: its consensus key and voting power. */
export interface Validator {
  publicKey: PublicKey;
  address: Address;
  power: number;
}

/** Builds a validator record from its key (address derived, design §3). */
export function validator(publicKey: PublicKey, power = 1): Validator {
  return { publicKey, address: addressOf(publicKey), power };
}

/** sha256 of the encoded `[[publicKey, power], …]` list, in set order; goes in every header. */
export function validatorsHash(validators: readonly Validator[]): Hash {
  return sha256(encode(validators.map((v) => [v.publicKey, v.power])));
}

/**
 * Most total voting power a validator set may have: a third of 2^53-1, so the quorum test
 * `power * 3 > total * 2` and every sum of powers stay exact in floating point. Without it a
 * set of three validators of power ~2^53 gets wrong answers both ways (found by a test:
 * powers [9007199254740650, 9007199254740639, 9007199254740661], the last two "reached" a
 * quorum they do not have). CometBFT bounds its total power the same way (MaxTotalVotingPower).
 */
/** Most validators a set may hold (genesis and the governance contract enforce it): a consortium, not a crowd. */
export const MAX_VALIDATORS = 256;

export const MAX_TOTAL_POWER = Math.floor(Number.MAX_SAFE_INTEGER / 3);

/** Sum of voting power. */
export function totalPower(validators: readonly Validator[]): number {
  let sum = 0;
  for (const v of validators) sum += v.power;
  return sum;
}

/**
 * Whether `power` is more than 2/3 of `total` (integer arithmetic, no floats); exact for
 * `total` ≤ MAX_TOTAL_POWER, which every validator set must respect (genesis checks it).
 */
export function isQuorum(power: number, total: number): boolean {
  return power * 3 > total * 2;
}
