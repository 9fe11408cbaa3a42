/**
 * Fuzz: random and mutated bytecode through `verify` and `execute`. Whatever the bytes,
 * verify throws only VerifyError, execute throws only VmHalt (OutOfGas, Revert, VmError),
 * never exceeds its gas and never hangs. Bounded runs keep this under a few seconds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile, CompileError, execute, load, verify, VerifyError, VmHalt, OPCODES, type HostValue, type VerifiedProgram } from '../../vm/index.js';
import { OPERAND_WIDTH } from '../../vm/opcodes.js';
import { INT, listOf, optionOf, STRING, type Type } from '../../vm/valueType.js';
import { container, fnDef } from './asm.js';
import { addr, fixture, MemoryHost } from './helpers.js';

const GAS = 20_000;
/** Generous: a 20k-gas call takes well under a millisecond; a hang would take forever. */
const MAX_MS = 1_000;

function verifyTyped(code: Uint8Array): VerifiedProgram | undefined {
  try {
    verify(code);
    return load(code);
  } catch (e) {
    if (!(e instanceof VerifyError)) throw e;
    return undefined;
  }
}

const arbHost: fc.Arbitrary<HostValue> = fc.letrec<{ v: HostValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.integer(),
    fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }),
    fc.string(),
    fc.uint8Array({ maxLength: 24 }),
    fc.constant(addr(1)),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 4 }), tie('v'), { maxKeys: 4 }),
  ),
})).v;

/** Runs every exported function; checks the error class, the gas and the time. */
function runAll(p: VerifiedProgram, args: HostValue[]): void {
  for (const [fn, i] of p.exports) {
    const f = p.functions[i];
    const host = new MemoryHost();
    host.views = () => ({ result: args[0] ?? null, gasUsed: 7 });
    const t = performance.now();
    try {
      const r = execute({ code: p, fn, args: args.slice(0, f.params.length), host, gasLimit: GAS, mode: f.view ? 'view' : 'call' });
      expect(r.gasUsed).toBeLessThanOrEqual(GAS);
    } catch (e) {
      if (!(e instanceof VmHalt)) throw e;
      expect(e.gasUsed).toBeLessThanOrEqual(GAS);
    }
    expect(performance.now() - t).toBeLessThan(MAX_MS);
  }
}

describe('fuzz', () => {
  it('random bytes: verify throws only VerifyError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        verifyTyped(b);
      }),
      { numRuns: 500 },
    );
    // with a valid header so the table readers are exercised
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        verifyTyped(Uint8Array.from([0x4d, 0x43, 0x56, 0x4d, 1, ...b]));
      }),
      { numRuns: 500 },
    );
  });

  const seeds = ['consent', 'claims', 'registry', 'bench'].map((n) => compile(fixture(n)).code);

  it('mutated compiled contracts: verify or reject; whatever verifies runs within its gas', () => {
    const mutation = fc.record({
      seed: fc.nat(seeds.length - 1),
      edits: fc.array(fc.record({ at: fc.nat(), kind: fc.constantFrom('flip', 'set', 'insert', 'delete'), byte: fc.nat(255) }), { minLength: 1, maxLength: 4 }),
      args: fc.array(arbHost, { maxLength: 6 }),
    });
    let ran = 0;
    fc.assert(
      fc.property(mutation, ({ seed, edits, args }) => {
        const b = [...seeds[seed]];
        for (const e of edits) {
          const at = e.at % (b.length + 1);
          if (e.kind === 'flip' && at < b.length) b[at] ^= 1 << (e.byte % 8);
          else if (e.kind === 'set' && at < b.length) b[at] = e.byte;
          else if (e.kind === 'insert') b.splice(at, 0, e.byte);
          else if (e.kind === 'delete' && at < b.length) b.splice(at, 1);
        }
        const p = verifyTyped(Uint8Array.from(b));
        if (p) {
          ran++;
          runAll(p, args);
        }
      }),
      { numRuns: 400 },
    );
    expect(ran).toBeGreaterThan(0);
  });

  it('random instruction streams in a valid container: verify, then run within gas', () => {
    const valid = OPCODES.map((info, op) => (info ? op : -1)).filter((op) => op >= 0);
    const instr = fc.record({ op: fc.constantFrom(...valid), a: fc.nat(40), b: fc.nat(40), t: fc.nat() });
    const types: Type[] = [INT, { k: 'unit' }, STRING, listOf(INT), optionOf(INT), { k: 'bool' }, { k: 'bytes' }, { k: 'address' }, { k: 'map', key: STRING, value: INT }];
    let verified = 0;
    fc.assert(
      fc.property(fc.array(instr, { minLength: 1, maxLength: 40 }), fc.array(arbHost, { maxLength: 2 }), (ins, args) => {
        const code = stackAwareCode(ins);
        const bytes = container([fnDef('f', code, { locals: 4, params: [{ name: 'x', type: INT }], returns: INT }), fnDef('g', Uint8Array.from([0x02, 1, 0, 0x14]), { params: [{ name: 'y', type: INT }], locals: 1, exported: false })], {
          types,
          constants: [0, 'c', new Uint8Array(3), 2n ** 60n],
          storage: [{ name: 's', keys: [], value: INT }, { name: 'm', keys: [STRING, INT], value: listOf(INT) }],
          events: [{ name: 'E', fields: [{ name: 'a', type: INT }] }],
          imports: [{ iface: 'I', name: 'v', params: [{ name: 'p', type: INT }], returns: INT }],
        });
        const p = verifyTyped(bytes);
        if (p) {
          verified++;
          runAll(p, [args[0] ?? 1, ...args]);
        }
      }),
      { numRuns: 2_000 },
    );
    expect(verified).toBeGreaterThan(200);
  });
});

/**
 * Random code that mostly keeps the stack discipline: each op gets enough values pushed
 * before it (INT), jump targets land on instruction starts, and the end returns one value.
 * Operand values are random (small), so table indexes and types are often wrong on purpose.
 */
function stackAwareCode(ins: Array<{ op: number; a: number; b: number; t: number }>): Uint8Array {
  const body: Array<{ op: number; ops: number[]; t?: number }> = [];
  let depth = 0;
  const INT_OP = 0x02;
  for (const { op, a, b, t } of ins) {
    const info = OPCODES[op]!;
    const ops = info.operands.map((_, i) => (i === 0 ? a % 8 : b % 8));
    const pops = typeof info.pops === 'number' ? info.pops : Math.min(a % 8, 4);
    while (depth < pops) {
      body.push({ op: INT_OP, ops: [a] });
      depth++;
    }
    const isJump = info.flow === 'jump' || info.flow === 'branch';
    body.push({ op, ops, t: isJump ? t : undefined });
    depth = depth - pops + info.pushes;
    if (info.flow === 'end') depth = 0;
  }
  while (depth > 1) {
    body.push({ op: 0x08, ops: [] });
    depth--;
  }
  if (depth === 0) body.push({ op: INT_OP, ops: [1] });
  body.push({ op: 0x14, ops: [] });
  const starts: number[] = [];
  let pc = 0;
  for (const x of body) {
    starts.push(pc);
    pc += 1 + OPCODES[x.op]!.operands.reduce((n, k) => n + OPERAND_WIDTH[k], 0);
  }
  const out: number[] = [];
  for (const x of body) {
    const info = OPCODES[x.op]!;
    if (x.t !== undefined) x.ops[x.ops.length - 1] = starts[x.t % starts.length];
    out.push(x.op);
    info.operands.forEach((k, i) => {
      const v = x.ops[i] ?? 0;
      if (OPERAND_WIDTH[k] === 1) out.push(v & 0xff);
      else out.push(v & 0xff, (v >> 8) & 0xff);
    });
  }
  return Uint8Array.from(out);
}

describe('fuzz: the compiler', () => {
  const WORDS = [
    'contract', 'c', 'fn', 'view', 'private', 'record', 'R', 'event', 'E', 'storage', 'interface', 'I', 'const', 'K', 'let', 'x', 'y', 'if', 'else',
    'for', 'in', 'return', 'emit', 'require', 'revert', 'delete', 'break', 'continue', 'some', 'none', 'true', 'expect', 'len', 'range', 'int',
    'string', 'list', 'map', 'address', 'bool', 'bytes', 'caller', 'block', '.', 'time', 'tx', 'hash', 'self', '{', '}', '(', ')', '[', ']', '<',
    '>', ',', ':', ';', '=', '+=', '==', '!=', '??', '?', '->', '+', '-', '*', '/', '%', '!', '&&', '||', '1', '0x00', '"s"', '\n', 'push', 'a', 'b',
  ];

  it('token soup and arbitrary text: compile throws only CompileError', () => {
    const soup = fc.array(fc.constantFrom(...WORDS), { maxLength: 60 }).map((ws) => `contract c\n${ws.join(' ')}`);
    const body = fc.array(fc.constantFrom(...WORDS), { maxLength: 40 }).map((ws) => `contract c\nrecord R { a: int, b: string? }\nstorage { m: map<int, R>, n: int }\nfn f(x: int, y: list<int>) -> int {\n${ws.join(' ')}\nreturn 1\n}`);
    fc.assert(
      fc.property(fc.oneof(soup, body, fc.string({ maxLength: 200 })), (src) => {
        try {
          compile(src);
        } catch (e) {
          if (!(e instanceof CompileError)) throw e;
        }
      }),
      { numRuns: 3_000 },
    );
  });

  it('token-level mutations of the fixtures: compile throws only CompileError, and what compiles verifies', () => {
    const sources = ['consent', 'claims', 'registry', 'bench'].map((n) => fixture(n).split(/(?<=\s)|(?=[(){}[\],.:])/));
    let compiled = 0;
    fc.assert(
      fc.property(
        fc.nat(sources.length - 1),
        fc.array(fc.record({ at: fc.nat(), kind: fc.constantFrom('drop', 'dup', 'swap', 'word'), word: fc.constantFrom(...WORDS) }), { minLength: 1, maxLength: 3 }),
        (which, edits) => {
          const toks = [...sources[which]];
          for (const e of edits) {
            const i = e.at % toks.length;
            if (e.kind === 'drop') toks.splice(i, 1);
            else if (e.kind === 'dup') toks.splice(i, 0, toks[i]);
            else if (e.kind === 'swap' && i + 1 < toks.length) [toks[i], toks[i + 1]] = [toks[i + 1], toks[i]];
            else toks.splice(i, 0, ` ${e.word} `);
          }
          try {
            verify(compile(toks.join('')).code);
            compiled++;
          } catch (e) {
            if (!(e instanceof CompileError)) throw e;
          }
        },
      ),
      { numRuns: 1_500 },
    );
    expect(compiled).toBeGreaterThan(10);
  });
});
