/**
 * medchain's rule VM (design §7): a small deterministic language for medical contracts,
 * compiled to bytecode that a verifier checks at deploy time and a gas-metered
 * interpreter runs over a narrow host interface. `vm/` imports nothing of medchain's.
 *
 *   compile(source)            → { code, abi }          throws CompileError
 *   verify(code)               → void                   throws VerifyError
 *   load(code)                 → VerifiedProgram        (verify once, execute many times)
 *   execute({ code, fn, args, host, gasLimit, mode }) → { result, gasUsed, events, writes, transfers, steps }
 *                                                       throws OutOfGas | Revert | VmError
 */
export { compile, compileProgram } from './compiler.js';
export { verify, load, verifyProgram, MAX_OPERAND_STACK, MAX_STACK_BOUND } from './verifier.js';
export { execute, type ExecuteRequest, type ExecuteResult } from './interpreter.js';
export { disassemble } from './disassembler.js';
export { decodeContainer, encodeContainer, MAGIC, CONTAINER_VERSION, MAX_CONTAINER_BYTES } from './container.js';
export {
  abiOf,
  abiFunction,
  abiJsonToArgs,
  jsonToValue,
  valueToJson,
  resultToJson,
  eventToJson,
  parseAbiType,
  type Abi,
  type AbiFunction,
  type AbiParam,
  type Json,
} from './abi.js';
export {
  VmBaseError,
  CompileError,
  VerifyError,
  VmHalt,
  OutOfGas,
  Revert,
  VmError,
  AbiError,
  type SourcePosition,
  type CompileErrorCode,
  type VerifyErrorCode,
  type VmErrorKind,
  type AbiErrorCode,
} from './errors.js';
export type { Host, HostValue, StorageWrite, Transfer, VmEvent, ViewResult } from './host.js';
export type { Program, VerifiedProgram, FunctionDef, StorageVar, EventDef, ViewImport } from './program.js';
export { canonicalSize } from './convert.js';
export { typeToString, type Type, type Field } from './valueType.js';
export * as gas from './gas.js';
export { OPCODES, Op } from './opcodes.js';
export { MAX_MEMORY_BYTES } from './machine.js';
export { MAX_VALUE_DEPTH } from './values.js';
