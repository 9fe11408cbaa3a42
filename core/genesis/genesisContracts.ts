/**
 * Contracts deployed at genesis (design §8): their fixed addresses, the validation of a
 * genesis file's `contracts` entries, and how they are installed in the genesis state.
 *
 * A genesis contract's address depends on its name only — the first 20 bytes of
 * sha256("medchain/genesis-contract/" + name) — so it is the same on every chain and
 * clients (and the other contracts) hard-code it. The genesis file carries the compiled
 * container, not the source, so the genesis hash never depends on a local compiler run.
 */
import { abiOf, load, VerifyError, type Abi } from '../../vm/index.js';
import { sha256 } from '../crypto/index.js';
import { encode, fromHex, HexError, toHex } from '../encoding/index.js';
import type { StateDB } from '../state/index.js';
import type { Validator } from '../block/index.js';
import type { Address } from '../types.js';
import { GenesisError } from './errors.js';

/** A contract installed at genesis. */
export interface GenesisContract {
  name: string;
  address: Address;
  /** The verified bytecode container (it carries its ABI). */
  code: Uint8Array;
}

/** Prefix of the hashed name that gives a genesis contract its address. */
export const GENESIS_CONTRACT_DOMAIN = 'medchain/genesis-contract/';
/** The contract whose storage holds the genesis regulators (`regulators[address] = true`). */
export const REGISTRY_CONTRACT = 'registry';
/**
 * The contract whose storage holds the validator set per height (`epochs`, design §6);
 * genesis writes the genesis set into it as the epoch from height 0.
 */
export const VALIDATORS_CONTRACT = 'validators';
/** The validators contract's storage variable the chain reads the set from. */
export const VALIDATOR_EPOCHS_VAR = 'epochs';
/** Contract names: short lower-case identifiers (they are part of clients' code). */
const NAME_RE = /^[a-z][a-z0-9-]{0,31}$/;
/** Most genesis contracts: each is verified at every start. */
const MAX_GENESIS_CONTRACTS = 64;

/** The fixed address of genesis contract `name`: sha256(domain ‖ name)[0:20]. */
export function genesisContractAddress(name: string): Address {
  return sha256(new TextEncoder().encode(GENESIS_CONTRACT_DOMAIN + name)).slice(0, 20);
}

/** Genesis contracts as chain_getInfo lists them: name → 0x address. */
export function contractMap(contracts: readonly GenesisContract[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of contracts) out[c.name] = toHex(c.address);
  return out;
}

function fail(field: string, message: string): GenesisError {
  return new GenesisError('GENESIS_INVALID', `genesis ${field}: ${message}`, { field });
}

/**
 * Validates the `contracts` entries ({name, code: 0x-hex container}): unique names, code
 * that the bytecode verifier accepts (the same gate as a deploy tx), and a registry that
 * can hold the genesis regulators when there are any.
 */
export function parseGenesisContracts(v: unknown, regulators: readonly Address[]): GenesisContract[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw fail('contracts', 'expected an array');
  if (v.length > MAX_GENESIS_CONTRACTS) throw fail('contracts', `at most ${MAX_GENESIS_CONTRACTS} entries`);
  const seen = new Set<string>();
  const out = v.map((entry: unknown, i): GenesisContract & { abi: Abi } => {
    const field = `contracts[${i}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw fail(field, 'expected an object');
    const o = entry as Record<string, unknown>;
    for (const k of Object.keys(o)) if (k !== 'name' && k !== 'code') throw fail(`${field}.${k}`, 'unknown field');
    if (typeof o.name !== 'string' || !NAME_RE.test(o.name)) throw fail(`${field}.name`, 'expected a lower-case name like "registry"');
    if (seen.has(o.name)) throw fail(`${field}.name`, 'duplicate contract name');
    seen.add(o.name);
    let code: Uint8Array;
    try {
      code = fromHex(o.code as string);
    } catch (e) {
      if (e instanceof HexError) throw fail(`${field}.code`, 'expected the compiled container as 0x-prefixed hex');
      throw e;
    }
    let abi: Abi;
    try {
      abi = abiOf(load(code));
    } catch (e) {
      if (e instanceof VerifyError) throw fail(`${field}.code`, `rejected by the bytecode verifier: ${e.code}: ${e.message}`);
      throw e;
    }
    return { name: o.name, address: genesisContractAddress(o.name), code, abi };
  });
  const registry = out.find((c) => c.name === REGISTRY_CONTRACT);
  if (registry && regulators.length > 0) {
    const slot = registry.abi.storage.find((s) => s.name === 'regulators');
    if (!slot || slot.keys.length !== 1 || slot.keys[0] !== 'address' || slot.value !== 'bool') {
      const i = out.indexOf(registry);
      throw fail(`contracts[${i}].code`, 'the registry must declare storage regulators: map<address, bool> to receive the genesis regulators');
    }
  }
  const validators = out.find((c) => c.name === VALIDATORS_CONTRACT);
  if (validators) {
    const slot = validators.abi.storage.find((s) => s.name === VALIDATOR_EPOCHS_VAR);
    if (!slot || slot.keys.length !== 0 || slot.value !== 'list<Epoch>') {
      const i = out.indexOf(validators);
      throw fail(`contracts[${i}].code`, 'the validators contract must declare storage epochs: list<Epoch> to receive the genesis validator set');
    }
  }
  return out.map(({ name, address, code }) => ({ name, address, code }));
}

/** The storage slot key of the validators contract's `epochs` (the set per height). */
export function validatorEpochsSlot(): Uint8Array {
  return encode([VALIDATOR_EPOCHS_VAR]);
}

/** The stored value of `epochs` holding one epoch: `set` from height `from` (records are maps). */
export function encodeValidatorEpochs(epochs: ReadonlyArray<{ from: number; validators: readonly Validator[] }>): Uint8Array {
  return encode(
    epochs.map((e) => ({ from: e.from, members: e.validators.map((v) => ({ addr: v.address, power: v.power, publicKey: v.publicKey })) })),
  );
}

/**
 * Installs the genesis contracts in `state`, writes the regulators into the registry's
 * storage slot `regulators[address]` (keyed like every contract slot: the canonical
 * encoding of [variable, ...keys], see vm/abi.ts `storage`) and the genesis validator set
 * into the validators contract's `epochs` as the epoch from height 0.
 */
export function installGenesisContracts(
  state: StateDB,
  contracts: readonly GenesisContract[],
  regulators: readonly Address[],
  validators: readonly Validator[] = [],
): void {
  for (const c of contracts) state.setCode(c.address, c.code);
  const registry = contracts.find((c) => c.name === REGISTRY_CONTRACT);
  if (registry) for (const r of regulators) state.setStorage(registry.address, encode(['regulators', r]), encode(true));
  const vals = contracts.find((c) => c.name === VALIDATORS_CONTRACT);
  if (vals) state.setStorage(vals.address, validatorEpochsSlot(), encodeValidatorEpochs([{ from: 0, validators }]));
}
