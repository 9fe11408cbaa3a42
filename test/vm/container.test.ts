import { describe, expect, it } from 'vitest';
import { compile, compileProgram, decodeContainer, disassemble, encodeContainer, CompileError } from '../../vm/index.js';
import { fixture } from './fixtures.js';

describe('container', () => {
  it.each(['consent', 'claims', 'registry', 'bench'])('%s: decode(encode(p)) is p, and re-encodes to the same bytes', (name) => {
    const p = compileProgram(fixture(name));
    const bytes = encodeContainer(p);
    const back = decodeContainer(bytes);
    expect(back).toEqual(p);
    expect(Buffer.from(encodeContainer(back)).equals(Buffer.from(bytes))).toBe(true);
    expect(Buffer.from(compile(fixture(name)).code).equals(Buffer.from(bytes))).toBe(true);
  });

  it('starts with the magic and version, and is compact', () => {
    const { code } = compile(fixture('consent'));
    expect(Array.from(code.slice(0, 5))).toEqual([0x4d, 0x43, 0x56, 0x4d, 1]);
    expect(code.length).toBeLessThan(2_000);
  });

  it('carries big int constants exactly', () => {
    const p = compileProgram('contract c\nfn f() -> int { return 9223372036854775807 - 9007199254740993 + -9223372036854775807 }');
    expect(p.constants).toEqual([9223372036854775807n, 9007199254740993n, -9223372036854775807n, 'unreachable: no return']);
    expect(decodeContainer(encodeContainer(p)).constants).toEqual(p.constants);
  });
});

describe('compiler limits become CompileErrors', () => {
  it('too many locals', () => {
    const lets = Array.from({ length: 260 }, (_, i) => `let v${i} = ${i}`).join('\n');
    expect(() => compile(`contract c\nfn f() {\n${lets}\n}`)).toThrow(expect.objectContaining({ code: 'COMPILE_LIMIT' }));
  });

  it('a verifier limit the compiler cannot see (too many constants) is reported as COMPILE_LIMIT', () => {
    const reqs = Array.from({ length: 4100 }, (_, i) => `require(true, "r${i}")`).join('\n');
    let err: unknown;
    try {
      compile(`contract c\nfn f() {\n${reqs}\n}`);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CompileError);
    expect((err as CompileError).message).toContain('breaks a verifier rule');
  });
});

describe('disassembler', () => {
  it('shows tables, functions, resolved operands, jump targets and source lines', () => {
    const text = disassemble(compile(fixture('consent')).code);
    expect(text).toContain('contract consent');
    expect(text).toContain('storage %1 grants[int]: Grant');
    expect(text).toContain('event @0 Granted(id: int, patient: address, actor: address)');
    expect(text).toContain('import !0 Registry.isPractitioner(who: address) -> bool');
    expect(text).toContain('view fn check(patient: address, actor: address, category: string, purpose: string) -> bool');
    expect(text).toContain('private view fn valid(');
    expect(text).toMatch(/CONST\s+#\d+ "no such grant"/);
    expect(text).toMatch(/ITER\s+\$4 \$5 ->\d{5}/);
    expect(text).toMatch(/SLOAD\s+%grants/);
    expect(text).toMatch(/CALLVIEW Registry\.isPractitioner/);
    expect(text).toMatch(/; line 51/);
  });

  it('shows bytes it cannot decode instead of failing', () => {
    const p = compileProgram('contract c\nfn f() -> int { return 1 }');
    p.functions[0].code = Uint8Array.from([0x00, 0x02, 0x01]);
    const text = disassemble(p);
    expect(text).toContain('.byte 0x00');
    expect(text).toContain('.byte 0x02');
  });
});
