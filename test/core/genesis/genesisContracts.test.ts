/**
 * Genesis contracts: parseGenesis validates the `contracts` entries (names, duplicates,
 * hex, the bytecode verifier, a registry able to hold the regulators) with a GenesisError
 * naming the field; buildGenesis installs the code at the fixed addresses and the
 * regulators into the registry's storage, and the contracts are part of the genesis hash.
 */
import { describe, expect, it } from 'vitest';
import { decode, encode, toHex } from '../../../core/encoding/index.js';
import { buildGenesis, genesisContractAddress, GenesisError, parseGenesis } from '../../../core/genesis/index.js';
import { StateDB } from '../../../core/state/index.js';
import { Trie } from '../../../core/trie/index.js';
import { compile } from '../../../vm/index.js';
import { DEV } from '../../fixtures/chainFixtures.js';

const REGISTRY = toHex(compile('contract registry\nstorage {\n  regulators: map<address, bool>\n}\nview fn isRegulator(a: address) -> bool {\n  return storage.regulators[a] ?? false\n}\n').code);
const OTHER = toHex(compile('contract other\nview fn one() -> int {\n  return 1\n}\n').code);

function base(contracts?: unknown, regulators: string[] = [toHex(DEV[4].address)]): Record<string, unknown> {
  return {
    chainId: 'test-chain',
    timeMs: 1_700_000_000_000,
    blockGasLimit: 10_000_000,
    blockIntervalMs: 500,
    validators: [{ publicKey: toHex(DEV[0].publicKey) }],
    accounts: [{ address: toHex(DEV[2].address), balance: 100 }],
    regulators,
    ...(contracts === undefined ? {} : { contracts }),
  };
}

function expectInvalid(json: unknown, field: string): void {
  let caught: unknown;
  try {
    parseGenesis(json);
  } catch (e) {
    caught = e;
  }
  expect(caught, field).toBeInstanceOf(GenesisError);
  expect((caught as GenesisError).context.field).toBe(field);
}

describe('parseGenesis: contracts', () => {
  it('accepts no contracts, and valid ones with their fixed addresses', () => {
    expect(parseGenesis(base()).contracts).toEqual([]);
    const spec = parseGenesis(base([{ name: 'registry', code: REGISTRY }, { name: 'other-1', code: OTHER }]));
    expect(spec.contracts!.map((c) => [c.name, toHex(c.address)])).toEqual([
      ['registry', toHex(genesisContractAddress('registry'))],
      ['other-1', toHex(genesisContractAddress('other-1'))],
    ]);
  });

  it('rejects malformed entries, naming the field', () => {
    expectInvalid(base({}), 'contracts');
    expectInvalid(base(new Array(65).fill({ name: 'x', code: OTHER })), 'contracts');
    expectInvalid(base([null]), 'contracts[0]');
    expectInvalid(base([{ name: 'x', code: OTHER, extra: 1 }]), 'contracts[0].extra');
    for (const name of ['', 'Registry', '1abc', 'a'.repeat(33), 5, null, 'a b']) expectInvalid(base([{ name, code: OTHER }]), 'contracts[0].name');
    expectInvalid(base([{ name: 'x', code: OTHER }, { name: 'x', code: OTHER }]), 'contracts[1].name');
    for (const code of [undefined, 5, '0x1', 'abcd', '0xzz']) expectInvalid(base([{ name: 'x', code }]), 'contracts[0].code');
  });

  it('rejects code the bytecode verifier rejects (the same gate as a deploy tx)', () => {
    expectInvalid(base([{ name: 'x', code: '0x00' }]), 'contracts[0].code');
    expectInvalid(base([{ name: 'x', code: OTHER.slice(0, -2) }]), 'contracts[0].code');
  });

  it('rejects a registry that cannot hold the regulators (only when there are regulators)', () => {
    expectInvalid(base([{ name: 'other', code: OTHER }, { name: 'registry', code: OTHER }]), 'contracts[1].code');
    expect(parseGenesis(base([{ name: 'registry', code: OTHER }], [])).contracts).toHaveLength(1);
  });

  it('rejects a validators contract that cannot hold the validator set (epochs: list<Epoch>)', () => {
    expectInvalid(base([{ name: 'validators', code: OTHER }]), 'contracts[0].code');
    const wrongType = toHex(compile('contract validators\nstorage {\n  epochs: list<int>\n}\n').code);
    expectInvalid(base([{ name: 'other', code: OTHER }, { name: 'validators', code: wrongType }]), 'contracts[1].code');
  });
});

describe('buildGenesis: contracts', () => {
  it('installs the code at the fixed addresses and the regulators in the registry', async () => {
    const spec = parseGenesis(base([{ name: 'registry', code: REGISTRY }, { name: 'other', code: OTHER }]));
    const trie = new Trie({ keyLength: 32 });
    const g = await buildGenesis(spec, trie);
    const state = new StateDB(trie.at(g.header.stateRoot));
    expect(toHex(state.getCode(genesisContractAddress('registry'))!)).toBe(REGISTRY);
    expect(toHex(state.getCode(genesisContractAddress('other'))!)).toBe(OTHER);
    const slot = (a: Uint8Array) => state.getStorage(genesisContractAddress('registry'), encode(['regulators', a]));
    expect(decode(slot(DEV[4].address)!)).toBe(true);
    expect(slot(DEV[5].address)).toBeUndefined();
    expect(state.getAccount(DEV[2].address).balance).toBe(100n);
  });

  it('writes the genesis validator set into the validators contract as the epoch from height 0', async () => {
    const source = 'contract validators\nrecord Member {\n  addr: address\n  publicKey: bytes\n  power: int\n}\nrecord Epoch {\n  from: int\n  members: list<Member>\n}\nstorage {\n  epochs: list<Epoch>\n}\nview fn count() -> int {\n  return len(storage.epochs[0].members)\n}\n';
    const spec = parseGenesis({ ...base([{ name: 'validators', code: toHex(compile(source).code) }]), validators: [{ publicKey: toHex(DEV[0].publicKey) }, { publicKey: toHex(DEV[1].publicKey), power: 3 }] });
    const trie = new Trie({ keyLength: 32 });
    const g = await buildGenesis(spec, trie);
    const raw = new StateDB(trie.at(g.header.stateRoot)).getStorage(genesisContractAddress('validators'), encode(['epochs']));
    expect(decode(raw!)).toEqual([
      { from: 0, members: [{ addr: DEV[0].address, power: 1, publicKey: DEV[0].publicKey }, { addr: DEV[1].address, power: 3, publicKey: DEV[1].publicKey }] },
    ]);
  });

  it('makes the contracts part of the genesis hash', async () => {
    const hash = async (g: Record<string, unknown>) => toHex((await buildGenesis(parseGenesis(g), new Trie({ keyLength: 32 }))).hash);
    const none = await hash(base());
    const one = await hash(base([{ name: 'other', code: OTHER }]));
    expect(one).not.toBe(none);
    expect(await hash(base([{ name: 'other2', code: OTHER }]))).not.toBe(one);
    expect(await hash(base([{ name: 'other', code: OTHER }]))).toBe(one);
  });
});
