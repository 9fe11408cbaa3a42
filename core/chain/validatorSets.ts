/**
 * The validator set of each height, read from committed state (design §6): the
 * validators governance contract (genesis/contracts/validators.mc) keeps `epochs`, a short
 * list of `{from, members}` with `from` strictly increasing; the set that signs height H is
 * the last epoch with `from` ≤ H in the state after block H-1. A change approved in block
 * h is written as the epoch from h+2, so the state after h+1 already names the set of h+2.
 *
 * The chain derives each member's address from its public key itself and checks every
 * bound the contract keeps, so a faulty contract cannot hand consensus a malformed set.
 */
import { MAX_TOTAL_POWER, MAX_VALIDATORS, validator, type Validator } from '../block/index.js';
import { decode, equalBytes, type Value } from '../encoding/index.js';
import { ChainError } from './errors.js';

/** One decoded epoch: the set from height `from` on. */
export interface ValidatorEpoch {
  from: number;
  validators: Validator[];
}

/** Most epochs the contract keeps (one in effect, two scheduled); more means a bad contract. */
const MAX_EPOCHS = 8;

function bad(msg: string): ChainError {
  return new ChainError('CHAIN_BAD_VALIDATORS', `validators contract: ${msg}`, {});
}

function isObject(v: Value): v is { [k: string]: Value } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function member(v: Value, where: string): Validator {
  if (!isObject(v)) throw bad(`${where} is not a member record`);
  const { addr, publicKey, power } = v;
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) throw bad(`${where}.publicKey is not 32 bytes`);
  if (typeof power !== 'number' || !Number.isSafeInteger(power) || power < 1) throw bad(`${where}.power is not a positive integer`);
  const val = validator(publicKey, power);
  if (!(addr instanceof Uint8Array) || !equalBytes(addr, val.address)) throw bad(`${where}.addr is not the address of its key`);
  return val;
}

/** Decodes and checks the stored `epochs` value; throws ChainError('CHAIN_BAD_VALIDATORS'). */
export function decodeValidatorEpochs(raw: Uint8Array): ValidatorEpoch[] {
  let v: Value;
  try {
    v = decode(raw);
  } catch (e) {
    throw bad(`epochs do not decode: ${(e as Error).message}`);
  }
  if (!Array.isArray(v) || v.length === 0 || v.length > MAX_EPOCHS) throw bad(`expected 1..${MAX_EPOCHS} epochs`);
  let last = -1;
  return v.map((e, i) => {
    if (!isObject(e)) throw bad(`epochs[${i}] is not an epoch record`);
    const { from, members } = e;
    if (typeof from !== 'number' || !Number.isSafeInteger(from) || from <= last) throw bad(`epochs[${i}].from is not increasing`);
    last = from;
    if (!Array.isArray(members) || members.length === 0 || members.length > MAX_VALIDATORS) throw bad(`epochs[${i}] has not 1..${MAX_VALIDATORS} members`);
    const validators = members.map((m, j) => member(m, `epochs[${i}].members[${j}]`));
    const seen = new Set<string>();
    let total = 0;
    for (const val of validators) {
      const k = val.address.join(',');
      if (seen.has(k)) throw bad(`epochs[${i}] lists a validator twice`);
      seen.add(k);
      total += val.power;
    }
    if (total > MAX_TOTAL_POWER) throw bad(`epochs[${i}] has more than ${MAX_TOTAL_POWER} total power`);
    return { from, validators };
  });
}

/** The set of `height` among decoded epochs: the last one from at or below it. */
export function epochAt(epochs: readonly ValidatorEpoch[], height: number): ValidatorEpoch {
  let found: ValidatorEpoch | undefined;
  for (const e of epochs) if (e.from <= height) found = e;
  if (!found) throw bad(`no epoch covers height ${height}`);
  return found;
}
