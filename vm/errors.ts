/**
 * The VM's typed errors. `vm/` imports nothing of medchain's, so it has its own base class
 * shaped like core's MedchainError (`code`, `message`, `context`) plus a source position.
 *
 * - CompileError: the compiler rejected the source (off chain, not consensus-critical).
 * - VerifyError: the bytecode verifier rejected a container (the consensus gate at deploy).
 * - VmHalt and its three subclasses are the ONLY ways `execute` fails: OutOfGas,
 *   Revert(reason) and VmError(kind). The interpreter catches exactly this class; anything
 *   else escaping it is a bug and is rethrown untouched.
 */

/** A 1-based line and column in contract source. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** Base of every VM error: a string `code`, a message and structured `context`. */
export class VmBaseError<C extends string = string> extends Error {
  readonly code: C;
  readonly context: Record<string, unknown>;
  /** Where in the contract source, when known. */
  position: SourcePosition | undefined;

  constructor(code: C, message: string, context: Record<string, unknown> = {}, position?: SourcePosition) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.context = context;
    this.position = position;
  }
}

/** Why the compiler rejected a source. */
export type CompileErrorCode =
  | 'COMPILE_SYNTAX'
  | 'COMPILE_UNKNOWN_NAME'
  | 'COMPILE_DUPLICATE'
  | 'COMPILE_TYPE'
  | 'COMPILE_NOT_ASSIGNABLE'
  | 'COMPILE_VIEW_WRITES'
  | 'COMPILE_RECURSION'
  | 'COMPILE_MISSING_RETURN'
  | 'COMPILE_LIMIT';

/**
 * A source the compiler rejects. `message` is `line:column: text` followed by the source
 * line and a caret under the column; `context.reason` is the bare text.
 */
export class CompileError extends VmBaseError<CompileErrorCode> {
  constructor(code: CompileErrorCode, reason: string, position: SourcePosition, source?: string) {
    super(code, formatAt(reason, position, source), { reason, line: position.line, column: position.column }, position);
  }
}

/** `line:col: reason`, then the offending source line with a caret under the column. */
export function formatAt(reason: string, pos: SourcePosition, source?: string): string {
  const head = `${pos.line}:${pos.column}: ${reason}`;
  if (source === undefined) return head;
  const text = source.split('\n')[pos.line - 1];
  if (text === undefined) return head;
  const num = String(pos.line);
  // keep tabs so the caret lines up under tab-indented source
  const pad = text.slice(0, Math.max(0, pos.column - 1)).replace(/[^\t]/g, ' ');
  return `${head}\n${num} | ${text}\n${' '.repeat(num.length)} | ${pad}^`;
}

/** Which verifier rule a container broke. */
export type VerifyErrorCode =
  | 'VERIFY_MALFORMED'
  | 'VERIFY_LIMIT'
  | 'VERIFY_BAD_OPCODE'
  | 'VERIFY_BAD_OPERAND'
  | 'VERIFY_BAD_JUMP'
  | 'VERIFY_STACK'
  | 'VERIFY_FALLS_OFF'
  | 'VERIFY_RECURSION'
  | 'VERIFY_VIEW_WRITES'
  | 'VERIFY_BAD_CONSTANT'
  | 'VERIFY_BAD_TYPE';

/** Bytecode rejected at deploy time; `context` names the function and pc when relevant. */
export class VerifyError extends VmBaseError<VerifyErrorCode> {}

/**
 * The halt class: the only errors `execute` throws. `gasUsed` is filled in by the
 * interpreter when the halt leaves it.
 */
export class VmHalt<C extends string = string> extends VmBaseError<C> {
  gasUsed = 0;

  /** The message with the source position appended (what receipts carry). */
  describe(): string {
    return this.position ? `${this.message} (at ${this.position.line}:${this.position.column})` : this.message;
  }
}

/** The gas limit was reached; every write of the call is discarded. */
export class OutOfGas extends VmHalt<'VM_OUT_OF_GAS'> {
  constructor(context: Record<string, unknown> = {}) {
    super('VM_OUT_OF_GAS', 'out of gas', context);
  }
}

/**
 * Longest revert reason kept (UTF-16 units). Reasons end up in receipts, which every node
 * stores; a contract could build a megabyte reason, so it is cut here, deterministically.
 */
export const MAX_REASON_LENGTH = 256;

/** The contract reverted on purpose (`require`, `revert`, `expect`) with `reason`. */
export class Revert extends VmHalt<'VM_REVERT'> {
  readonly reason: string;

  constructor(reason: string, context: Record<string, unknown> = {}) {
    const r = truncate(reason);
    super('VM_REVERT', `reverted: ${r}`, { ...context, reason: r });
    this.reason = r;
  }
}

/** Cuts a reason to MAX_REASON_LENGTH units without splitting a surrogate pair. */
function truncate(s: string): string {
  if (s.length <= MAX_REASON_LENGTH) return s;
  let end = MAX_REASON_LENGTH;
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${s.slice(0, end)}…`;
}

/** Deterministic run-time faults: each has a `kind` (see VmErrorKind). */
export type VmErrorKind =
  | 'TYPE_MISMATCH'
  | 'INT_OVERFLOW'
  | 'DIVISION_BY_ZERO'
  | 'INDEX_OUT_OF_RANGE'
  | 'ABSENT'
  | 'DUPLICATE_KEY'
  | 'MEMORY_LIMIT'
  | 'VALUE_TOO_DEEP'
  | 'BAD_ARGUMENT'
  | 'BAD_CODE'
  | 'UNKNOWN_FUNCTION'
  | 'NOT_A_VIEW'
  | 'WRITE_IN_VIEW'
  | 'CALL_DEPTH'
  | 'CALL_FAILED'
  | 'INSUFFICIENT_FUNDS';

/** A run-time fault of kind `kind`, e.g. an integer overflow or a list index out of range. */
export class VmError extends VmHalt<'VM_ERROR'> {
  readonly kind: VmErrorKind;

  constructor(kind: VmErrorKind, message: string, context: Record<string, unknown> = {}) {
    super('VM_ERROR', `${kind}: ${message}`, { ...context, kind });
    this.kind = kind;
  }
}

/** Why JSON could not be converted by an ABI (the caller's fault: bad params). */
export type AbiErrorCode = 'ABI_BAD_TYPE' | 'ABI_BAD_ARGUMENT' | 'ABI_UNKNOWN_FUNCTION' | 'ABI_UNKNOWN_EVENT';

/** A JSON argument or ABI type that does not fit; `context.param` names the argument. */
export class AbiError extends VmBaseError<AbiErrorCode> {}
