/**
 * The disassembler: a container as readable text — header, tables, then each function's
 * instructions with resolved operands (constants, names, jump labels) and source lines.
 */
import { decodeContainer } from './container.js';
import { OPCODES, instructionLength, readOperands } from './opcodes.js';
import type { Constant, Program } from './program.js';
import { typeToString } from './valueType.js';

/** Disassembles a container (bytes) or a decoded program. Unknown bytes show as `.byte`. */
export function disassemble(code: Uint8Array | Program): string {
  const p = code instanceof Uint8Array ? decodeContainer(code) : code;
  const out: string[] = [`contract ${p.name}`];
  const typed = (fs: ReadonlyArray<{ name: string; type: Parameters<typeof typeToString>[0] }>) => fs.map((f) => `${f.name}: ${typeToString(f.type)}`).join(', ');
  p.constants.forEach((c, i) => out.push(`  const #${i} = ${showConst(c)}`));
  p.storage.forEach((v, i) => out.push(`  storage %${i} ${v.name}${v.keys.map((k) => `[${typeToString(k)}]`).join('')}: ${typeToString(v.value)}`));
  p.events.forEach((e, i) => out.push(`  event @${i} ${e.name}(${typed(e.fields)})`));
  p.imports.forEach((v, i) => out.push(`  import !${i} ${v.iface}.${v.name}(${typed(v.params)}) -> ${typeToString(v.returns)}`));
  p.functions.forEach((f, fi) => {
    const kind = `${f.exported ? '' : 'private '}${f.view ? 'view ' : ''}fn`;
    out.push('', `${kind} ${f.name}(${typed(f.params)}) -> ${typeToString(f.returns)}   ; fn ${fi}, ${f.locals} locals, ${f.code.length} bytes`);
    let line = 0;
    for (let pc = 0; pc < f.code.length; ) {
      const entry = f.lines.find((l) => l.pc === pc);
      if (entry && entry.line !== line) {
        line = entry.line;
        out.push(`        ; line ${entry.line}`);
      }
      const info = OPCODES[f.code[pc]];
      const len = info ? instructionLength(info) : 1;
      if (!info || pc + len > f.code.length) {
        out.push(`  ${pad(pc)}  .byte 0x${f.code[pc].toString(16).padStart(2, '0')}`);
        pc++;
        continue;
      }
      const ops = readOperands(f.code, pc, info);
      const shown = info.operands.map((k, i) => showOperand(p, k, ops[i]));
      out.push(`  ${pad(pc)}  ${info.name.padEnd(9)}${shown.join(' ')}`);
      pc += len;
    }
  });
  return out.join('\n');
}

function pad(pc: number): string {
  return pc.toString().padStart(5, '0');
}

function showConst(c: Constant): string {
  if (typeof c === 'string') return JSON.stringify(c);
  if (c instanceof Uint8Array) return '0x' + Array.from(c, (b) => b.toString(16).padStart(2, '0')).join('');
  return String(c);
}

function showOperand(p: Program, kind: string, v: number): string {
  switch (kind) {
    case 'const':
      return p.constants[v] === undefined ? `#${v}?` : `#${v} ${showConst(p.constants[v])}`;
    case 'local':
      return `$${v}`;
    case 'target':
      return `->${pad(v)}`;
    case 'fn':
      return p.functions[v] ? p.functions[v].name : `fn${v}?`;
    case 'storage':
      return p.storage[v] ? `%${p.storage[v].name}` : `%${v}?`;
    case 'event':
      return p.events[v] ? `@${p.events[v].name}` : `@${v}?`;
    case 'import':
      return p.imports[v] ? `${p.imports[v].iface}.${p.imports[v].name}` : `!${v}?`;
    case 'type':
      return p.types[v] ? typeToString(p.types[v]) : `type${v}?`;
    default:
      return String(v);
  }
}
