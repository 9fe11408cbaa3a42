/** The interpreter on hand-made bytecode: what compiled code never does still fails cleanly. */
import { describe, expect, it } from 'vitest';
import { execute, OutOfGas, VmError, VmHalt, MAX_VALUE_DEPTH, load, type HostValue } from '../../vm/index.js';
import { INT, UNIT, type Type } from '../../vm/valueType.js';
import { container, fnDef, type Ins } from './asm.js';
import { MemoryHost } from './helpers.js';

function run(code: Ins[], opts: { locals?: number; returns?: Type; gas?: number; args?: HostValue[]; prog?: object; view?: boolean } = {}) {
  const bytes = container([fnDef('f', code, { locals: opts.locals ?? 0, returns: opts.returns ?? INT, view: opts.view ?? false })], opts.prog);
  return execute({ code: bytes, fn: 'f', args: opts.args ?? [], host: new MemoryHost(), gasLimit: opts.gas ?? 1_000_000, mode: opts.view ? 'view' : 'call' });
}

function fault(code: Ins[], opts: Parameters<typeof run>[1] = {}): VmHalt {
  try {
    run(code, opts);
  } catch (e) {
    expect(e).toBeInstanceOf(VmHalt);
    return e as VmHalt;
  }
  throw new Error('no fault');
}

describe('interpreter: run-time type checks on hand-made code', () => {
  it.each<[string, Ins[], string]>([
    ['ADD on a bool', [['TRUE'], ['INT', 1], ['ADD'], ['RET']], 'TYPE_MISMATCH'],
    ['JMPF on an int', [['INT', 1], ['JMPF', 6], ['INT', 1], ['RET']], 'TYPE_MISMATCH'],
    ['LEN of an int', [['INT', 1], ['LEN'], ['RET']], 'TYPE_MISMATCH'],
    ['INDEX into a bool', [['TRUE'], ['INT', 0], ['INDEX'], ['RET']], 'TYPE_MISMATCH'],
    ['FIELD past the end', [['INT', 1], ['TUPLE', 1], ['FIELD', 3], ['RET']], 'INDEX_OUT_OF_RANGE'],
    ['CONCAT of mixed kinds', [['INT', 1], ['TRUE'], ['CONCAT'], ['RET']], 'TYPE_MISMATCH'],
    ['MAP with a list key', [['LIST', 0], ['INT', 1], ['MAP', 1], ['RET']], 'TYPE_MISMATCH'],
    ['REVERT with a non-string', [['INT', 1], ['REVERT']], 'TYPE_MISMATCH'],
    ['SHA256 of an int', [['INT', 1], ['SHA256'], ['RET']], 'TYPE_MISMATCH'],
    ['TRANSFER to a short address', [['INT', 1], ['TUPLE', 1], ['INT', 1], ['TRANSFER'], ['INT', 1], ['RET']], 'TYPE_MISMATCH'],
    ['ITER over an int', [['INT', 5], ['STORE', 0], ['INT', 0], ['STORE', 1], ['ITER', 0, 1, 19], ['POP'], ['JMP', 10], ['INT', 1], ['RET']], 'TYPE_MISMATCH'],
    ['returning a bool from an int function', [['TRUE'], ['RET']], 'TYPE_MISMATCH'],
    ['UNWRAP of none', [['NONE'], ['UNWRAP'], ['RET']], 'ABSENT'],
  ])('%s → VmError (case %#)', (_n, code, kind) => {
    const e = fault(code, { locals: 2 });
    expect(e).toBeInstanceOf(VmError);
    expect((e as VmError).kind).toBe(kind);
  });

  it('a value nested past MAX_VALUE_DEPTH is VALUE_TOO_DEEP', () => {
    // x = [x] forever: LOAD 0; LIST 1; STORE 0; JMP 0
    const e = fault([['LOAD', 0], ['LIST', 1], ['STORE', 0], ['JMP', 0]], { locals: 1 });
    expect((e as VmError).kind).toBe('VALUE_TOO_DEEP');
    expect(MAX_VALUE_DEPTH).toBeLessThan(64);
  });

  it('an endless loop runs out of gas, whatever the limit', () => {
    for (const gas of [0, 1, 2, 1000, 123_457]) {
      const e = fault([['INT', 1], ['POP'], ['JMP', 0]], { gas });
      expect(e).toBeInstanceOf(OutOfGas);
      expect(e.gasUsed).toBe(gas);
    }
  });

  it('a string that doubles forever hits the memory cap or the gas limit, never the heap', () => {
    const code: Ins[] = [['CONST', 0], ['STORE', 0], ['LOAD', 0], ['LOAD', 0], ['CONCAT'], ['STORE', 0], ['JMP', 5]];
    const e = fault(code, { locals: 1, gas: 2_000_000_000, prog: { constants: ['xyzw'.repeat(64)] } });
    expect((e as VmError).kind).toBe('MEMORY_LIMIT');
    expect(fault(code, { locals: 1, gas: 100_000, prog: { constants: ['xyzw'] } })).toBeInstanceOf(OutOfGas);
  });

  it('a call into a function reads its arguments as locals and returns one value', () => {
    const p = container([
      fnDef('f', [['INT', 20], ['INT', 22], ['CALL', 1], ['RET']]),
      fnDef('add', [['LOAD', 0], ['LOAD', 1], ['ADD'], ['RET']], { exported: false, params: [{ name: 'a', type: INT }, { name: 'b', type: INT }], locals: 3 }),
    ]);
    expect(execute({ code: p, fn: 'f', args: [], host: new MemoryHost(), gasLimit: 1000 }).result).toBe(42);
    expect(() => execute({ code: p, fn: 'add', args: [1, 2], host: new MemoryHost(), gasLimit: 1000 })).toThrow(/no exported function 'add'/);
  });

  it('bad code given to execute is VmError BAD_CODE, not a VerifyError', () => {
    expect(() => execute({ code: Uint8Array.from([1, 2, 3]), fn: 'f', args: [], host: new MemoryHost(), gasLimit: 1 })).toThrow(expect.objectContaining({ kind: 'BAD_CODE' }));
    expect(() => execute({ code: load(container([fnDef('f', [['INT', 1], ['RET']])])), fn: 'f', args: [], host: new MemoryHost(), gasLimit: -1 })).toThrow(expect.objectContaining({ kind: 'BAD_ARGUMENT' }));
  });

  it('unit-returning functions return null', () => {
    expect(run([['NONE'], ['RET']], { returns: UNIT }).result).toBe(null);
  });

  it('errors from the host itself are not swallowed (they are not VM halts)', () => {
    const bytes = container([fnDef('f', [['SLOAD', 0], ['RET']])], { storage: [{ name: 'a', keys: [], value: INT }] });
    const host = new MemoryHost();
    host.storageGet = () => {
      throw new RangeError('disk on fire');
    };
    expect(() => execute({ code: bytes, fn: 'f', args: [], host, gasLimit: 10_000 })).toThrow(RangeError);
  });
});
