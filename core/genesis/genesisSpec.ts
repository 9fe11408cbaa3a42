import { fromHex, HexError } from '../encoding/index.js';
import { CHAIN_ID_RE } from '../tx/index.js';
import { MAX_TOTAL_POWER, MAX_VALIDATORS, totalPower, validator, type Validator } from '../block/index.js';
import type { Address } from '../types.js';
import { GenesisError } from './errors.js';
import { parseGenesisContracts, type GenesisContract } from './genesisContracts.js';

/** A parsed, validated genesis file. */
export interface GenesisSpec {
  chainId: string;
  /** Genesis time (ms since the Unix epoch); block times must be later. */
  timeMs: number;
  blockGasLimit: number;
  blockIntervalMs: number;
  validators: Validator[];
  /** Initial balances, in file order (addresses unique). */
  accounts: Array<{ address: Address; balance: bigint }>;
  /** Institutions with regulator rights in the registry contract (design §8). */
  regulators: Address[];
  /**
   * Contracts installed at genesis at their fixed addresses (genesisContracts.ts), in file
   * order; parseGenesis always sets it (optional only for hand-built specs).
   */
  contracts?: GenesisContract[];
}

/** Most accounts a genesis may fund: bounds start-up work on a hostile file. */
const MAX_GENESIS_ACCOUNTS = 100_000;
const UINT64_MAX = 2n ** 64n - 1n;

function fail(field: string, message: string): GenesisError {
  return new GenesisError('GENESIS_INVALID', `genesis ${field}: ${message}`, { field });
}

function uint(v: unknown, field: string, min = 0): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) throw fail(field, `expected an integer ≥ ${min}`);
  return v;
}

function bytes(v: unknown, field: string, length: number): Uint8Array {
  try {
    return fromHex(v as string, length);
  } catch (e) {
    if (e instanceof HexError) throw fail(field, `expected 0x-prefixed hex of ${length} bytes`);
    throw e;
  }
}

function balance(v: unknown, field: string): bigint {
  let b: bigint;
  if (typeof v === 'number' && Number.isSafeInteger(v)) b = BigInt(v);
  else if (typeof v === 'string' && /^(0|[1-9][0-9]{0,19})$/.test(v)) b = BigInt(v);
  else throw fail(field, 'expected a non-negative integer or decimal string');
  if (b < 0n || b > UINT64_MAX) throw fail(field, 'out of range 0..2^64-1');
  return b;
}

function array(v: unknown, field: string, max: number): unknown[] {
  if (!Array.isArray(v)) throw fail(field, 'expected an array');
  if (v.length > max) throw fail(field, `at most ${max} entries`);
  return v;
}

function object(v: unknown, field: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw fail(field, 'expected an object');
  return v as Record<string, unknown>;
}

/** Validates a parsed genesis JSON value; throws GenesisError naming the bad field. */
export function parseGenesis(json: unknown): GenesisSpec {
  const g = object(json, '(root)');
  if (typeof g.chainId !== 'string' || !CHAIN_ID_RE.test(g.chainId)) {
    throw fail('chainId', 'expected a lower-case identifier like "medchain-dev"');
  }
  const validators = array(g.validators, 'validators', MAX_VALIDATORS).map((v, i) => {
    const o = object(v, `validators[${i}]`);
    return validator(bytes(o.publicKey, `validators[${i}].publicKey`, 32), o.power === undefined ? 1 : uint(o.power, `validators[${i}].power`, 1));
  });
  if (validators.length === 0) throw fail('validators', 'at least one validator is required');
  if (totalPower(validators) > MAX_TOTAL_POWER) throw fail('validators', `total power is above ${MAX_TOTAL_POWER}`);
  const seenVal = new Set<string>();
  validators.forEach((v, i) => {
    const k = v.address.join(',');
    if (seenVal.has(k)) throw fail(`validators[${i}]`, 'duplicate validator');
    seenVal.add(k);
  });
  const seen = new Set<string>();
  const accounts = array(g.accounts ?? [], 'accounts', MAX_GENESIS_ACCOUNTS).map((a, i) => {
    const o = object(a, `accounts[${i}]`);
    const address = bytes(o.address, `accounts[${i}].address`, 20);
    const key = (o.address as string).toLowerCase();
    if (seen.has(key)) throw fail(`accounts[${i}].address`, 'duplicate address');
    seen.add(key);
    return { address, balance: balance(o.balance, `accounts[${i}].balance`) };
  });
  const regulators = array(g.regulators ?? [], 'regulators', MAX_VALIDATORS).map((r, i) => bytes(r, `regulators[${i}]`, 20));
  return {
    chainId: g.chainId,
    timeMs: uint(g.timeMs, 'timeMs'),
    blockGasLimit: uint(g.blockGasLimit, 'blockGasLimit', 100_000),
    blockIntervalMs: uint(g.blockIntervalMs, 'blockIntervalMs', 10),
    validators,
    accounts,
    regulators,
    contracts: parseGenesisContracts(g.contracts, regulators),
  };
}
