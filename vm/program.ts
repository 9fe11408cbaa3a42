/**
 * The in-memory model of a contract: what the compiler produces, what the container
 * serialises, and what the verifier and the interpreter work on. A `Program` is only ever
 * handed to the interpreter after `verify` (see `load` in vm/index.ts).
 */
import type { Field, Type } from './valueType.js';

/** A storage variable: its outer map layers are slot keys; the rest is one stored value. */
export interface StorageVar {
  name: string;
  /** Key types, outermost first (empty for a scalar variable). */
  keys: Type[];
  /** Type of the value in one slot. */
  value: Type;
}

/** An event: a name and its fields in declaration order (data is a record of them). */
export interface EventDef {
  name: string;
  fields: Field[];
}

/** A view of another contract this one may call (from an `interface` declaration). */
export interface ViewImport {
  iface: string;
  name: string;
  params: Field[];
  returns: Type;
}

/** One source position per instruction that can fail, for error messages. */
export interface LineEntry {
  pc: number;
  line: number;
  column: number;
}

/** A function: its signature, frame size and code. */
export interface FunctionDef {
  name: string;
  /** Callable from outside (by a tx or state_call); private helpers are not. */
  exported: boolean;
  /** Read-only: no storage writes, events, pay or transfer, here or in callees. */
  view: boolean;
  params: Field[];
  returns: Type;
  /** Local slots, params included. */
  locals: number;
  code: Uint8Array;
  /** Sorted by pc. */
  lines: LineEntry[];
}

/** A constant-pool entry: an int (number when a safe integer, else bigint), a string or bytes. */
export type Constant = number | bigint | string | Uint8Array;

/** A decoded contract. */
export interface Program {
  name: string;
  /** The type table: every type the code refers to by index (ENCODE). */
  types: Type[];
  constants: Constant[];
  storage: StorageVar[];
  events: EventDef[];
  imports: ViewImport[];
  functions: FunctionDef[];
  /** Record declarations, for the ABI. */
  records: Type[];
}

/** What the verifier proved about a program, used by the interpreter. */
export interface VerifiedProgram extends Program {
  /** Deepest operand stack of each function. */
  maxStack: number[];
  /** Upper bound of locals + operands over every chain of calls (sizes the value stack). */
  stackBound: number;
  /** Exported functions by name. */
  exports: Map<string, number>;
}
