import { describe, expect, it } from 'vitest';
import { abiJsonToArgs, AbiError, compile, eventToJson, jsonToValue, parseAbiType, resultToJson, typeToString, valueToJson, type Abi, type HostValue } from '../../vm/index.js';
import { addr, Deployed, fixture } from './helpers.js';

const consent = compile(fixture('consent')).abi;
const claims = compile(fixture('claims')).abi;
const registry = compile(fixture('registry')).abi;

function abiError(f: () => unknown): AbiError {
  try {
    f();
  } catch (e) {
    if (e instanceof AbiError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('abi', () => {
  it('lists exported functions, events, records and the storage layout', () => {
    expect(consent.contract).toBe('consent');
    expect(consent.functions.map((f) => f.name)).toEqual(['setRegistry', 'grant', 'revoke', 'check', 'logAccess', 'grantOf']);
    expect(consent.functions.find((f) => f.name === 'check')).toEqual({
      name: 'check', view: true, returns: 'bool',
      params: [{ name: 'patient', type: 'address' }, { name: 'actor', type: 'address' }, { name: 'category', type: 'string' }, { name: 'purpose', type: 'string' }],
    });
    expect(consent.functions.find((f) => f.name === 'revoke')!.returns).toBe(null);
    expect(consent.functions.find((f) => f.name === 'grantOf')!.returns).toBe('Grant?');
    expect(consent.records[0].fields.map((f) => `${f.name}: ${f.type}`)).toEqual([
      'actor: address', 'categories: list<string>', 'from: int', 'patient: address', 'purposes: list<string>', 'revoked: bool', 'until: int',
    ]);
    expect(consent.storage).toContainEqual({ name: 'byPair', keys: ['address', 'address'], value: 'list<int>' });
    expect(claims.functions.find((f) => f.name === 'submit')!.returns).toBe('list<(string,int,string)>');
    expect(JSON.parse(JSON.stringify(consent))).toEqual(consent);
  });

  it('parses its own type strings', () => {
    for (const t of ['int', 'list<string>', 'map<address,int>', '(string,int,int)', 'Grant?', 'map<string,(int,int)>', 'list<Item>']) {
      const abi = t.includes('Item') ? claims : consent;
      expect(typeToString(parseAbiType(abi, t))).toBe(t);
    }
    for (const bad of ['', 'int<', 'list<int', 'map<int>', 'Nope', 'int)', '(int', 'int??']) {
      expect(abiError(() => parseAbiType(consent, bad)).code).toBe('ABI_BAD_TYPE');
    }
  });

  it('converts JSON args: hex bytes and addresses, big ints as decimal strings, records, maps, options', () => {
    const a = '0x' + '01'.repeat(20);
    expect(abiJsonToArgs(consent, 'grant', [a, ['lab'], ['care'], 0, '9007199254740993'])).toEqual([addr(1), ['lab'], ['care'], 0, 9007199254740993n]);
    expect(abiJsonToArgs(consent, 'grant', { actor: a, categories: [], purposes: [], from: -5, until: '12' })).toEqual([addr(1), [], [], -5, 12]);
    const [covered] = abiJsonToArgs(claims, 'createPolicy', [{ X1: [1, 2] }, 0, 1, 0, 1]);
    expect({ ...(covered as object) }).toEqual({ X1: [1, 2] });
    const [, , items] = abiJsonToArgs(claims, 'submit', [a, 1, [{ code: 'A', qty: 1, price: 2 }]]);
    expect((items as HostValue[]).map((x) => ({ ...(x as object) }))).toEqual([{ code: 'A', qty: 1, price: 2 }]);
    expect(abiJsonToArgs(consent, 'logAccess', [a, '0xabcd', 'c', 'p', true])[1]).toEqual(Uint8Array.from([0xab, 0xcd]));
    expect(jsonToValue([[2, 'x'], [1, 'y']], { k: 'map', key: { k: 'int' }, value: { k: 'string' } }, 'm')).toEqual([[2, 'x'], [1, 'y']]);
    expect(jsonToValue(null, { k: 'option', of: { k: 'int' } }, 'o')).toBe(null);
    expect(Object.is(jsonToValue(-0, { k: 'int' }, 'z'), 0)).toBe(true);
  });

  it.each([
    ['grant', ['0x01', [], [], 0, 1], 'actor: an address is 20 bytes'],
    ['grant', ['01'.repeat(20), [], [], 0, 1], 'actor: expected address as 0x-prefixed hex'],
    ['grant', ['0x' + '01'.repeat(20), [1], [], 0, 1], 'categories[0]: expected string'],
    ['grant', ['0x' + '01'.repeat(20), [], [], 1.5, 1], 'from: not a safe integer'],
    ['grant', ['0x' + '01'.repeat(20), [], [], '1e3', 1], 'from: expected int'],
    ['grant', ['0x' + '01'.repeat(20), [], [], '9223372036854775808', 1], 'from: int out of the 64-bit signed range'],
    ['grant', ['0x' + '01'.repeat(20), [], []], 'grant takes 5 argument(s), found 3'],
    ['logAccess', ['0x' + '01'.repeat(20), '0xabc', 'c', 'p', true], 'record: expected bytes as 0x-prefixed hex'],
  ])('%s %j → %s', (fn, args, msg) => {
    const e = abiError(() => abiJsonToArgs(consent, fn, args as never));
    expect(e.code).toBe('ABI_BAD_ARGUMENT');
    expect(e.message).toContain(msg);
  });

  it('records: unknown and missing fields; optional fields may be absent', () => {
    const t = parseAbiType(registry, 'Entry');
    expect(abiError(() => jsonToValue({ kind: 'x', active: true, validUntil: 1 }, t, 'e')).message).toContain("missing field 'name'");
    expect(abiError(() => jsonToValue({ kind: 'x', name: 'n', validUntil: 1, active: true, extra: 1 }, t, 'e')).message).toContain("unknown field 'extra'");
    expect({ ...(jsonToValue({ kind: 'x', name: 'n', validUntil: 1, active: true }, t, 'e') as object) }).toMatchObject({ org: null, licence: null });
    expect(abiError(() => abiJsonToArgs(consent, 'nope', [])).code).toBe('ABI_UNKNOWN_FUNCTION');
  });

  it('results and events to JSON, by type', () => {
    const d = new Deployed(fixture('consent'));
    d.host.caller = addr(4);
    const r = d.call('grant', [addr(3), ['lab'], ['care'], 0, 2n ** 60n]);
    expect(eventToJson(consent, r.events[0].name, r.events[0].data)).toEqual({ id: 1, patient: '0x' + '04'.repeat(20), actor: '0x' + '03'.repeat(20) });
    expect(resultToJson(consent, 'grantOf', d.view('grantOf', [1]))).toEqual({
      actor: '0x' + '03'.repeat(20), categories: ['lab'], from: 0, patient: '0x' + '04'.repeat(20), purposes: ['care'], revoked: false, until: '1152921504606846976',
    });
    expect(resultToJson(consent, 'grantOf', d.view('grantOf', [2]))).toBe(null);
    expect(resultToJson(consent, 'revoke', null)).toBe(null);
    expect(valueToJson([[1, 'a']], { k: 'map', key: { k: 'int' }, value: { k: 'string' } })).toEqual([[1, 'a']]);
  });

  it('JSON → host value → JSON is the identity on canonical JSON', () => {
    const abi: Abi = claims;
    const t = parseAbiType(abi, 'list<Item>');
    const json = [{ code: 'A', qty: 2, price: '18446744073709551' }, { code: 'B', qty: -1, price: 3 }];
    expect(valueToJson(jsonToValue(json, t, 'x'), t)).toEqual(json);
  });
});
