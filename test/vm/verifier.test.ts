/** The verifier: one hand-made bad container per rule, plus the compiled fixtures passing. */
import { describe, expect, it } from 'vitest';
import { compile, load, verify, VerifyError, MAX_CONTAINER_BYTES } from '../../vm/index.js';
import { ByteWriter } from '../../vm/bytes.js';
import { MAX_OPERAND_STACK, MAX_STACK_BOUND } from '../../vm/verifier.js';
import { INT, type Type } from '../../vm/valueType.js';
import { assemble, container, fnDef, program, type Ins } from './asm.js';
import { encodeContainer } from '../../vm/container.js';
import { fixture } from './fixtures.js';

function rejects(code: Uint8Array): VerifyError {
  try {
    verify(code);
  } catch (e) {
    if (e instanceof VerifyError) return e;
    throw e;
  }
  throw new Error('verified');
}

const RET1: Ins[] = [['INT', 1], ['RET']];

describe('verifier: accepts', () => {
  it('every compiled fixture, and a minimal hand-made function', () => {
    for (const name of ['consent', 'claims', 'registry', 'bench']) expect(() => verify(compile(fixture(name)).code)).not.toThrow();
    const p = load(container([fnDef('f', RET1)]));
    expect(p.exports.get('f')).toBe(0);
    expect(p.maxStack).toEqual([1]);
  });
});

describe('verifier: container structure', () => {
  const good = container([fnDef('f', RET1)]);

  it.each([
    ['bad magic', (b: Uint8Array) => (b[0] = 0x4e), 'bad magic'],
    ['unknown version', (b: Uint8Array) => (b[4] = 2), 'unsupported container version 2'],
  ])('%s', (_n, patch, msg) => {
    const b = good.slice();
    patch(b);
    const e = rejects(b);
    expect(e.code).toBe('VERIFY_MALFORMED');
    expect(e.message).toContain(msg);
  });

  it('truncation at every length', () => {
    for (let n = 0; n < good.length; n++) expect(rejects(good.slice(0, n)).code).toMatch(/^VERIFY_/);
  });

  it('trailing bytes', () => {
    expect(rejects(Uint8Array.from([...good, 0])).message).toContain('trailing bytes');
  });

  it('oversized container', () => {
    expect(rejects(new Uint8Array(MAX_CONTAINER_BYTES + 1)).code).toBe('VERIFY_LIMIT');
  });

  it('non-minimal varints', () => {
    // name length 1 written as 0x81 0x00
    const b = Uint8Array.from([...good.slice(0, 5), 0x84, 0x00, ...good.slice(6)]);
    expect(rejects(b).message).toContain('non-minimal varint');
  });

  it('names must be UTF-8 identifiers', () => {
    expect(rejects(container([fnDef('f', RET1)], { name: 'has space' })).message).toContain("contract name 'has space' is not an identifier");
    const w = new ByteWriter().raw(good.slice(0, 5)).bytes(Uint8Array.from([0xff])).raw(good.slice(6 + 4));
    expect(rejects(w.finish()).message).toContain('not valid UTF-8');
  });

  it('duplicate functions, storage variables and events', () => {
    expect(rejects(container([fnDef('f', RET1), fnDef('f', RET1)])).message).toContain("function 'f' appears twice");
    expect(rejects(container([fnDef('f', RET1)], { storage: [{ name: 'a', keys: [], value: INT }, { name: 'a', keys: [], value: INT }] })).message).toContain("storage variable 'a' appears twice");
    expect(rejects(container([fnDef('f', RET1)], { events: [{ name: 'E', fields: [] }, { name: 'E', fields: [] }] })).message).toContain("event 'E' appears twice");
    expect(rejects(container([fnDef('f', RET1, { params: [{ name: 'a', type: INT }, { name: 'a', type: INT }], locals: 2 })])).message).toContain("parameter 'a' appears twice");
  });

  it('function header rules: flags, locals below params, empty code, line table', () => {
    const f = fnDef('f', RET1);
    const bytes = encodeContainer(program([f]));
    // the function section ends the container: count 1, name "f" (length 1), flags
    let flagsAt = -1;
    for (let i = bytes.length - 4; i >= 0; i--) if (bytes[i] === 1 && bytes[i + 1] === 1 && bytes[i + 2] === 0x66) flagsAt = i + 3;
    const b = bytes.slice();
    b[flagsAt] = 4;
    expect(rejects(b).message).toContain('unknown flags 4');
    expect(rejects(container([fnDef('f', RET1, { params: [{ name: 'a', type: INT }], locals: 0 })])).message).toContain('fewer locals than parameters');
    expect(rejects(container([fnDef('f', new Uint8Array(0))])).message).toContain('has no code');
    expect(rejects(container([fnDef('f', RET1, { lines: [{ pc: 9, line: 1, column: 1 }] })])).message).toMatch(/line pc delta 9 exceeds|line table pc outside/);
    expect(rejects(container([fnDef('f', RET1, { lines: [{ pc: 0, line: 1, column: 1 }, { pc: 0, line: 2, column: 1 }] })])).message).toContain('line table pcs must increase');
  });
});

describe('verifier: type table and constants', () => {
  const withTypes = (types: Type[]) => {
    // encodeContainer writes types as given; the reader checks them
    return encodeContainer(program([fnDef('f', RET1)], { types: [INT, { k: 'unit' }, ...types] }));
  };

  it.each<[string, Type[], string]>([
    ['map key not a key type', [{ k: 'list', of: INT }, { k: 'map', key: { k: 'list', of: INT }, value: INT }], 'a map key must be'],
    ['nested option', [{ k: 'option', of: INT }, { k: 'option', of: { k: 'option', of: INT } }], 'options do not nest'],
    ['unit inside a list', [{ k: 'list', of: { k: 'unit' } }], 'unit is only a return type'],
    ['unsorted record fields', [{ k: 'record', name: 'R', fields: [{ name: 'b', type: INT }, { name: 'a', type: INT }] }], 'fields must be sorted by name'],
    ['duplicate record fields', [{ k: 'record', name: 'R', fields: [{ name: 'a', type: INT }, { name: 'a', type: INT }] }], "record field 'a' appears twice"],
  ])('%s', (_n, types, msg) => {
    const e = rejects(withTypes(types));
    expect(e.code).toBe('VERIFY_BAD_TYPE');
    expect(e.message).toContain(msg);
  });

  it('too deep a type', () => {
    const types: Type[] = [];
    let t: Type = INT;
    for (let i = 0; i < 17; i++) {
      t = { k: 'list', of: t };
      types.push(t);
    }
    expect(rejects(withTypes(types)).code).toBe('VERIFY_LIMIT');
  });

  it('type references point backwards only; unknown tags and constant tags are rejected', () => {
    const b = encodeContainer(program([fnDef('f', RET1)], { types: [INT, { k: 'unit' }] }));
    // types: count 2 at offset 5+1+4 ("hand"): [tag 0][tag 5]; make the second a list of itself
    const at = 5 + 1 + 4;
    expect(b[at]).toBe(2);
    const selfRef = Uint8Array.from([...b.slice(0, at + 2), 6, 1, ...b.slice(at + 3)]);
    expect(rejects(selfRef).message).toMatch(/type index 1 exceeds the limit 0/);
    const badTag = b.slice();
    badTag[at + 2] = 42;
    expect(rejects(badTag).message).toContain('unknown type tag 42');
    const w = new ByteWriter().raw(b.slice(0, at + 3)).varuint(1).u8(9).raw(b.slice(at + 4));
    expect(rejects(w.finish()).code).toBe('VERIFY_BAD_CONSTANT');
  });
});

describe('verifier: code', () => {
  const one = (code: Ins[] | Uint8Array, over = {}, prog = {}) => rejects(container([fnDef('f', code, over)], prog));

  it.each<[string, Ins[] | Uint8Array, string, string]>([
    ['an unknown opcode', Uint8Array.from([0x00]), 'VERIFY_BAD_OPCODE', 'unknown opcode 0x00'],
    ['an unknown high opcode', Uint8Array.from([0x02, 1, 0, 0xff]), 'VERIFY_BAD_OPCODE', 'unknown opcode 0xff'],
    ['a cut-off operand', Uint8Array.from([0x02, 1]), 'VERIFY_BAD_OPERAND', 'INT is cut off by the end of the code'],
    ['a constant out of range', [['CONST', 0], ['RET']], 'VERIFY_BAD_OPERAND', 'CONST const operand 0 out of range'],
    ['a local out of range', [['LOAD', 0], ['RET']], 'VERIFY_BAD_OPERAND', 'LOAD local operand 0 out of range'],
    ['a function out of range', [['CALL', 3], ['RET']], 'VERIFY_BAD_OPERAND', 'CALL fn operand 3 out of range'],
    ['a storage variable out of range', [['SLOAD', 0], ['RET']], 'VERIFY_BAD_OPERAND', 'SLOAD storage operand 0'],
    ['an event out of range', [['EMIT', 0], ['INT', 1], ['RET']], 'VERIFY_BAD_OPERAND', 'EMIT event operand 0'],
    ['an import out of range', [['CALLVIEW', 0], ['RET']], 'VERIFY_BAD_OPERAND', 'CALLVIEW import operand 0'],
    ['a type out of range', [['INT', 1], ['ENCODE', 99], ['RET']], 'VERIFY_BAD_OPERAND', 'ENCODE type operand 99'],
    ['a jump past the code', [['JMP', 200], ['INT', 1], ['RET']], 'VERIFY_BAD_JUMP', 'JMP target operand 200 out of range'],
    ['a jump into an instruction', [['JMP', 4], ['INT', 1], ['RET']], 'VERIFY_BAD_JUMP', 'jumps into the middle of an instruction (4)'],
    ['a branch into an instruction', [['TRUE'], ['JMPT', 6], ['INT', 300], ['RET']], 'VERIFY_BAD_JUMP', 'jumps into the middle'],
    ['stack underflow', [['ADD'], ['RET']], 'VERIFY_STACK', 'ADD needs 2 value(s), the stack has 0'],
    ['RET with nothing', [['RET']], 'VERIFY_STACK', 'RET needs 1 value(s), the stack has 0'],
    ['RET with two values', [['INT', 1], ['INT', 2], ['RET']], 'VERIFY_STACK', 'RET with 2 values on the stack'],
    ['different depths where paths meet', [['TRUE'], ['JMPF', 7], ['INT', 1], ['INT', 1], ['RET']], 'VERIFY_STACK', 'stack depth'],
    ['falling off the end', [['INT', 1]], 'VERIFY_FALLS_OFF', 'control runs past the end of the code'],
    ['a branch falling off the end', [['TRUE'], ['JMPT', 0]], 'VERIFY_FALLS_OFF', 'control runs past the end'],
  ])('%s', (_n, code, errCode, msg) => {
    const e = one(code);
    expect(e.code).toBe(errCode);
    expect(e.message).toContain(msg);
    expect(e.context.function).toBe('f');
  });

  it('a stack deeper than MAX_OPERAND_STACK', () => {
    const code: Ins[] = [];
    for (let i = 0; i <= MAX_OPERAND_STACK; i++) code.push(['TRUE']);
    code.push(['RET']);
    expect(one(code).code).toBe('VERIFY_LIMIT');
  });

  it('loops are fine when the depth is the same each time round', () => {
    // loop: INT 1; POP; JMP loop — never ends, but gas does (see the interpreter tests)
    expect(() => verify(container([fnDef('f', [['INT', 1], ['POP'], ['JMP', 0]])]))).not.toThrow();
    // a loop that grows the stack each time round is rejected
    expect(one([['INT', 1], ['JMP', 0]]).code).toBe('VERIFY_STACK');
  });

  it('ITER pushes only when it falls through', () => {
    const ok: Ins[] = [['LIST', 0], ['STORE', 0], ['INT', 0], ['STORE', 1], ['ITER', 0, 1, 19], ['POP'], ['JMP', 10], ['INT', 1], ['RET']];
    expect(() => verify(container([fnDef('f', ok, { locals: 2 })]))).not.toThrow();
  });

  it('views: no state-changing instruction, no call to a non-view', () => {
    const storage = [{ name: 'a', keys: [], value: INT }];
    const w = one([['INT', 1], ['SSTORE', 0], ['INT', 1], ['RET']], { view: true }, { storage });
    expect(w.code).toBe('VERIFY_VIEW_WRITES');
    expect(w.message).toContain('a view cannot SSTORE');
    for (const op of [['INT', 1], ['PAY']] as Ins[][]) void op;
    expect(one([['INT', 1], ['PAY'], ['INT', 1], ['RET']], { view: true }).message).toContain('a view cannot PAY');
    const c = rejects(container([fnDef('f', [['CALL', 1], ['RET']], { view: true }), fnDef('g', RET1)]));
    expect(c.code).toBe('VERIFY_VIEW_WRITES');
    expect(c.message).toContain('a view cannot call g, which is not a view');
  });

  it('recursion, direct and indirect', () => {
    const self = rejects(container([fnDef('f', [['CALL', 0], ['RET']])]));
    expect(self.code).toBe('VERIFY_RECURSION');
    expect(self.message).toContain('f → f');
    const cyc = rejects(container([fnDef('a', [['CALL', 1], ['RET']]), fnDef('b', [['CALL', 2], ['RET']]), fnDef('c', [['CALL', 0], ['RET']])]));
    expect(cyc.message).toContain('a → b → c → a');
  });

  it('the value stack over a chain of calls is bounded', () => {
    const n = Math.ceil(MAX_STACK_BOUND / 256) + 1;
    const fns = Array.from({ length: n }, (_, i) =>
      fnDef(`f${i}`, i < n - 1 ? [['CALL', i + 1], ['RET']] : RET1, { locals: 255 }),
    );
    const e = rejects(container(fns));
    expect(e.code).toBe('VERIFY_LIMIT');
    expect(e.message).toContain('value stack over a chain of calls');
    expect(() => verify(container(fns.slice(0, 3).map((f, i) => (i === 2 ? fnDef('f2', RET1, { locals: 255 }) : f))))).not.toThrow();
  });

  it('verification time is linear: a 64 KiB function verifies quickly', () => {
    const code: Ins[] = [];
    while (code.length * 2 < 0xfff0) code.push(['TRUE'], ['POP']);
    code.push(['INT', 1], ['RET']);
    const bytes = container([fnDef('f', assemble(code))]);
    const t = performance.now();
    verify(bytes);
    expect(performance.now() - t).toBeLessThan(500);
  });
});
