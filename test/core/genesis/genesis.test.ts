/**
 * Genesis: parseGenesis accepts the dev genesis and rejects every malformed field with a
 * GenesisError naming it (context.field); buildGenesis is deterministic and funds the accounts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MAX_TOTAL_POWER, validatorsHash, ZERO_HASH, headerHash, orderedRoot } from '../../../core/block/index.js';
import { toHex } from '../../../core/encoding/index.js';
import { buildGenesis, GenesisError, parseGenesis } from '../../../core/genesis/index.js';
import { StateDB } from '../../../core/state/index.js';
import { MemoryTrieDB, Trie } from '../../../core/trie/index.js';
import { DEV } from '../../fixtures/chainFixtures.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const devJson = (): Record<string, unknown> => JSON.parse(readFileSync(path.join(ROOT, 'genesis/dev.json'), 'utf8'));

/** A small valid genesis; tests break one field at a time. */
function base(): Record<string, unknown> {
  return {
    chainId: 'test-chain',
    timeMs: 1_700_000_000_000,
    blockGasLimit: 10_000_000,
    blockIntervalMs: 500,
    validators: [{ publicKey: toHex(DEV[0].publicKey), power: 1 }, { publicKey: toHex(DEV[1].publicKey) }],
    accounts: [
      { address: toHex(DEV[2].address), balance: 100 },
      { address: toHex(DEV[3].address), balance: '18446744073709551615' },
    ],
    regulators: [toHex(DEV[4].address)],
  };
}

function expectInvalid(json: unknown, field: string): GenesisError {
  let caught: unknown;
  try {
    parseGenesis(json);
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected a GenesisError for ${field}`).toBeInstanceOf(GenesisError);
  const err = caught as GenesisError;
  expect(err.code).toBe('GENESIS_INVALID');
  expect(err.context.field).toBe(field);
  expect(err.message).toContain(field);
  return err;
}

/** `base()` with `f` applied. */
function with_(f: (g: Record<string, any>) => void): Record<string, unknown> {
  const g = base();
  f(g);
  return g;
}

describe('parseGenesis', () => {
  it('accepts genesis/dev.json', () => {
    const spec = parseGenesis(devJson());
    expect(spec.chainId).toBe('medchain-dev');
    expect(spec.validators).toHaveLength(1);
    expect(spec.validators[0].address).toEqual(DEV[0].address);
    expect(spec.validators[0].power).toBe(1);
    expect(spec.accounts).toHaveLength(10);
    expect(spec.regulators).toEqual([DEV[0].address]);
    expect(spec.blockGasLimit).toBe(50_000_000);
    expect(spec.contracts!.map((c) => c.name)).toEqual(['registry', 'consent', 'records', 'claims', 'validators', 'supplychain', 'surveillance']);
  });

  it('parses a valid file: default power 1, string and number balances, optional lists', () => {
    const spec = parseGenesis(base());
    expect(spec.validators.map((v) => v.power)).toEqual([1, 1]);
    expect(spec.accounts.map((a) => a.balance)).toEqual([100n, 2n ** 64n - 1n]);
    expect(spec.accounts[0].address).toEqual(DEV[2].address);
    const bare = parseGenesis(with_((g) => {
      delete g.accounts;
      delete g.regulators;
    }));
    expect(bare.accounts).toEqual([]);
    expect(bare.regulators).toEqual([]);
  });

  it('rejects a root that is not an object', () => {
    for (const v of [null, undefined, 5, 'genesis', [], [base()], true]) expectInvalid(v, '(root)');
  });

  it('rejects a missing or bad chainId', () => {
    for (const c of [undefined, null, 7, '', 'Medchain', 'has space', '-dash', 'a'.repeat(65), 'ünï', ['medchain-dev']]) {
      expectInvalid(with_((g) => (g.chainId = c)), 'chainId');
    }
  });

  it('rejects a missing, empty or non-array validator list', () => {
    expectInvalid(with_((g) => delete g.validators), 'validators');
    expectInvalid(with_((g) => (g.validators = [])), 'validators');
    expectInvalid(with_((g) => (g.validators = { 0: g.validators[0] })), 'validators');
    expectInvalid(with_((g) => (g.validators = 'x')), 'validators');
  });

  it('rejects a malformed validator entry', () => {
    expectInvalid(with_((g) => (g.validators[1] = null)), 'validators[1]');
    expectInvalid(with_((g) => (g.validators[1] = toHex(DEV[1].publicKey))), 'validators[1]');
    expectInvalid(with_((g) => (g.validators[1] = [])), 'validators[1]');
  });

  it('rejects a duplicate validator', () => {
    expectInvalid(with_((g) => g.validators.push({ publicKey: toHex(DEV[0].publicKey), power: 3 })), 'validators[2]');
    // the same key in upper-case hex is the same validator
    expectInvalid(with_((g) => g.validators.push({ publicKey: '0x' + toHex(DEV[0].publicKey).slice(2).toUpperCase() })), 'validators[2]');
  });

  it('rejects a bad validator publicKey (hex, length, type)', () => {
    const pk = toHex(DEV[1].publicKey);
    for (const bad of [undefined, null, 5, '', '0x', pk.slice(2), pk.slice(0, -2), pk + '00', pk.slice(0, -1), pk.slice(0, -2) + 'zz', [pk]]) {
      expectInvalid(with_((g) => (g.validators[1].publicKey = bad)), 'validators[1].publicKey');
    }
  });

  it('rejects validator power 0, negative, fractional or non-numeric', () => {
    for (const p of [0, -1, 1.5, '1', null, 2 ** 53, true]) {
      expectInvalid(with_((g) => (g.validators[0].power = p)), 'validators[0].power');
    }
  });

  it('rejects a validator set whose total power would make quorum arithmetic inexact', () => {
    expect(MAX_TOTAL_POWER * 3).toBeLessThanOrEqual(Number.MAX_SAFE_INTEGER);
    expectInvalid(
      with_((g) => {
        g.validators = [0, 1, 2].map((i) => ({ publicKey: toHex(DEV[i].publicKey), power: Number.MAX_SAFE_INTEGER - 1000 }));
      }),
      'validators',
    );
    expectInvalid(
      with_((g) => {
        g.validators[0].power = MAX_TOTAL_POWER;
      }),
      'validators',
    );
    const atLimit = parseGenesis(with_((g) => (g.validators[0].power = MAX_TOTAL_POWER - 1)));
    expect(atLimit.validators[0].power).toBe(MAX_TOTAL_POWER - 1);
  });

  it('rejects a duplicate account (case-insensitively)', () => {
    expectInvalid(with_((g) => g.accounts.push({ address: toHex(DEV[2].address), balance: 1 })), 'accounts[2].address');
    expectInvalid(
      with_((g) => g.accounts.push({ address: '0x' + toHex(DEV[2].address).slice(2).toUpperCase(), balance: 1 })),
      'accounts[2].address',
    );
  });

  it('rejects a malformed account entry or address', () => {
    expectInvalid(with_((g) => (g.accounts = 'x')), 'accounts');
    expectInvalid(with_((g) => (g.accounts[0] = 5)), 'accounts[0]');
    for (const a of [undefined, 7, '0x1234', toHex(DEV[2].publicKey), toHex(DEV[2].address).slice(2)]) {
      expectInvalid(with_((g) => (g.accounts[0].address = a)), 'accounts[0].address');
    }
  });

  it('rejects a negative, fractional, too large or non-numeric balance', () => {
    const bads = [-1, '-1', 1.5, '1.5', 1e300, 2 ** 53, '18446744073709551616', '99999999999999999999', '1e6', '0x10', '', ' 1', '01', 'ten', null, undefined, true, [1], {}];
    for (const b of bads) expectInvalid(with_((g) => (g.accounts[1].balance = b)), 'accounts[1].balance');
  });

  it('accepts balance 0 and the largest uint64', () => {
    const spec = parseGenesis(with_((g) => (g.accounts[0].balance = '0')));
    expect(spec.accounts[0].balance).toBe(0n);
  });

  it('rejects bad regulators', () => {
    expectInvalid(with_((g) => (g.regulators = {})), 'regulators');
    for (const r of ['0x12', 5, null, toHex(DEV[0].publicKey)]) expectInvalid(with_((g) => (g.regulators = [toHex(DEV[0].address), r])), 'regulators[1]');
  });

  it('rejects a missing or bad timeMs, blockGasLimit (too small) and blockIntervalMs', () => {
    for (const t of [undefined, -1, 1.5, '1700000000000', 2 ** 53]) expectInvalid(with_((g) => (g.timeMs = t)), 'timeMs');
    for (const l of [undefined, 0, 99_999, 1e6 + 0.5, '10000000']) expectInvalid(with_((g) => (g.blockGasLimit = l)), 'blockGasLimit');
    for (const i of [undefined, 0, 9, -500, '500']) expectInvalid(with_((g) => (g.blockIntervalMs = i)), 'blockIntervalMs');
    expect(parseGenesis(with_((g) => (g.blockGasLimit = 100_000))).blockGasLimit).toBe(100_000);
  });

  it('rejects arrays over the limits without parsing every entry', () => {
    const tooManyValidators = Array.from({ length: 257 }, () => ({ publicKey: toHex(DEV[0].publicKey) }));
    expectInvalid(with_((g) => (g.validators = tooManyValidators)), 'validators');
    const tooManyAccounts = new Array(100_001).fill(0);
    const t0 = performance.now();
    expectInvalid(with_((g) => (g.accounts = tooManyAccounts)), 'accounts');
    expect(performance.now() - t0).toBeLessThan(500);
    expectInvalid(with_((g) => (g.regulators = new Array(257).fill(toHex(DEV[0].address)))), 'regulators');
  });

  it('never throws anything but a GenesisError on hostile JSON', () => {
    const hostile: unknown[] = [
      { ...base(), validators: [{ publicKey: { toString: () => '0x' } }] },
      { ...base(), accounts: [{ address: toHex(DEV[2].address), balance: { valueOf: () => 5 } }] },
      JSON.parse('{"__proto__": {"chainId": "x"}, "chainId": "test-chain"}'),
      { ...base(), validators: [{ publicKey: toHex(DEV[0].publicKey), power: { valueOf: () => 1 } }] },
      Object.create(null),
    ];
    for (const h of hostile) expect(() => parseGenesis(h)).toThrow(GenesisError);
  });
});

describe('buildGenesis', () => {
  it('is deterministic: the same spec gives the same hash and state root twice', async () => {
    const spec = parseGenesis(devJson());
    const a = await buildGenesis(spec, new Trie({ keyLength: 32 }));
    const b = await buildGenesis(parseGenesis(devJson()), new Trie({ keyLength: 32 }));
    expect(toHex(a.hash)).toBe(toHex(b.hash));
    expect(a.header).toEqual(b.header);
    expect(a.hash).toEqual(headerHash(a.header));
  });

  it('builds the height-0 header over the funded state', async () => {
    const spec = parseGenesis(devJson());
    const g = await buildGenesis(spec, new Trie({ keyLength: 32 }));
    expect(g.header).toMatchObject({ chainId: 'medchain-dev', height: 0, timeMs: spec.timeMs });
    expect(g.header.prevHash).toEqual(ZERO_HASH);
    expect(g.header.lastCommitHash).toEqual(ZERO_HASH);
    expect(g.header.proposer).toEqual(new Uint8Array(20));
    expect(g.header.txRoot).toEqual(await orderedRoot([]));
    expect(g.header.receiptsRoot).toEqual(await orderedRoot([]));
    expect(g.header.validatorsHash).toEqual(validatorsHash(spec.validators));
    expect(g.nodes.length).toBeGreaterThan(0);
  });

  it('funds dev accounts 0–9 with 10^12 each', async () => {
    const spec = parseGenesis(devJson());
    const g = await buildGenesis(spec, new Trie({ keyLength: 32 }));
    // read back from the returned nodes alone, not the trie that built them
    const db = new MemoryTrieDB();
    await db.batch(g.nodes.map(([key, value]) => ({ type: 'put' as const, key, value })));
    const state = new StateDB(new Trie({ db, root: g.header.stateRoot, keyLength: 32 }));
    for (let i = 0; i < 10; i++) {
      expect(state.getAccount(DEV[i].address), `dev ${i}`).toEqual({ nonce: 0, balance: 10n ** 12n, codeHash: null });
    }
    expect(state.getAccount(DEV[0].publicKey.subarray(0, 20))).toEqual({ nonce: 0, balance: 0n, codeHash: null });
  });

  it('a different spec gives a different hash (chain id, time, validators, balances)', async () => {
    const hash = async (g: Record<string, unknown>) => toHex((await buildGenesis(parseGenesis(g), new Trie({ keyLength: 32 }))).hash);
    const h0 = await hash(base());
    expect(await hash(with_((g) => (g.chainId = 'test-chain-2')))).not.toBe(h0);
    expect(await hash(with_((g) => (g.timeMs = 1)))).not.toBe(h0);
    expect(await hash(with_((g) => (g.validators[0].power = 2)))).not.toBe(h0);
    expect(await hash(with_((g) => (g.accounts[0].balance = 101)))).not.toBe(h0);
  });

  it('an account funded with 0 is not stored (same root as without it)', async () => {
    const root = async (g: Record<string, unknown>) => toHex((await buildGenesis(parseGenesis(g), new Trie({ keyLength: 32 }))).header.stateRoot);
    expect(await root(with_((g) => g.accounts.push({ address: toHex(DEV[5].address), balance: 0 })))).toBe(await root(base()));
  });
});
