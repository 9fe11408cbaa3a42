/**
 * The syntax tree of a contract. The parser builds it; the type checker annotates it in
 * place (the `ty`, `ref` and `slot` fields, marked "checker"), and the compiler reads the
 * annotated tree. Every node carries the position of its first token.
 */
import type { SourcePosition } from './errors.js';
import type { Type } from './valueType.js';

export type Pos = SourcePosition;

/** A type as written: `int`, `list<T>`, `map<K,V>`, `(T,U)`, `T?`, or a record name. */
export type TypeExpr =
  | { kind: 'named'; name: string; pos: Pos }
  | { kind: 'list'; of: TypeExpr; pos: Pos }
  | { kind: 'map'; key: TypeExpr; value: TypeExpr; pos: Pos }
  | { kind: 'tuple'; items: TypeExpr[]; pos: Pos }
  | { kind: 'option'; of: TypeExpr; pos: Pos };

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||' | '??' | 'in';

/** The host values readable as plain names (design §7's host interface inputs). */
export type EnvName = 'caller' | 'self' | 'block.height' | 'block.time' | 'tx.hash';

/** What a call expression turned out to call (checker). */
export type CallRef =
  | { kind: 'function'; index: number }
  | { kind: 'builtin'; name: string }
  | { kind: 'view'; index: number }
  | { kind: 'record'; type: Type };

/** What a name refers to (checker). */
export type NameRef = { kind: 'local'; slot: number } | { kind: 'const'; value: Expr };

interface ExprBase {
  pos: Pos;
  /** checker: the expression's type */
  ty?: Type;
}

export type Expr =
  | (ExprBase & { kind: 'int'; value: bigint })
  | (ExprBase & { kind: 'string'; value: string })
  | (ExprBase & { kind: 'bytes'; value: Uint8Array })
  | (ExprBase & { kind: 'bool'; value: boolean })
  | (ExprBase & { kind: 'none' })
  | (ExprBase & { kind: 'name'; name: string; ref?: NameRef })
  | (ExprBase & { kind: 'env'; name: EnvName })
  | (ExprBase & { kind: 'storage' })
  | (ExprBase & { kind: 'unary'; op: '!' | '-'; operand: Expr })
  | (ExprBase & { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr })
  | (ExprBase & { kind: 'call'; callee: Expr; args: Expr[]; ref?: CallRef })
  | (ExprBase & { kind: 'index'; target: Expr; index: Expr })
  | (ExprBase & { kind: 'field'; target: Expr; name: string; namePos: Pos })
  | (ExprBase & { kind: 'list'; items: Expr[] })
  | (ExprBase & { kind: 'map'; entries: Array<[Expr, Expr]> })
  | (ExprBase & { kind: 'tuple'; items: Expr[] })
  | (ExprBase & { kind: 'record'; name: string; fields: Array<{ name: string; value: Expr; pos: Pos }> });

/** The node of kind K. */
export type ExprOf<K extends Expr['kind']> = Extract<Expr, { kind: K }>;

/** A binding: one name, a tuple of names (`_` skips), or a map entry `k, v` in `for`. */
export type Pattern =
  | { kind: 'name'; name: string; pos: Pos; slot?: number }
  | { kind: 'tuple'; names: Array<{ name: string; pos: Pos; slot?: number }>; pos: Pos }
  | { kind: 'pair'; key: { name: string; pos: Pos; slot?: number }; value: { name: string; pos: Pos; slot?: number }; pos: Pos };

export interface Block {
  stmts: Stmt[];
  pos: Pos;
}

export type Stmt =
  | { kind: 'let'; pattern: Pattern; type?: TypeExpr; value: Expr; pos: Pos }
  | { kind: 'assign'; target: Expr; op: '=' | '+=' | '-='; value: Expr; pos: Pos; place?: Place }
  | { kind: 'push'; target: Expr; value: Expr; pos: Pos; place?: Place }
  | { kind: 'delete'; target: Expr; pos: Pos; place?: Place }
  | { kind: 'if'; cond: Expr; then: Block; else?: Block; pos: Pos }
  | { kind: 'iflet'; name: string; namePos: Pos; value: Expr; then: Block; else?: Block; pos: Pos; slot?: number }
  | { kind: 'for'; pattern: Pattern; iterable: Expr; body: Block; pos: Pos; hidden?: [number, number] }
  | { kind: 'require'; cond: Expr; reason: Expr; pos: Pos }
  | { kind: 'revert'; reason: Expr; pos: Pos }
  | { kind: 'return'; value?: Expr; pos: Pos }
  | { kind: 'emit'; event: string; args: Expr[]; pos: Pos; index?: number }
  | { kind: 'break'; pos: Pos }
  | { kind: 'continue'; pos: Pos }
  | { kind: 'expr'; expr: Expr; pos: Pos };

export interface Param {
  name: string;
  type: TypeExpr;
  pos: Pos;
}

export interface ConstDecl {
  name: string;
  type?: TypeExpr;
  value: Expr;
  pos: Pos;
}

export interface RecordDecl {
  name: string;
  fields: Param[];
  pos: Pos;
}

export interface EventDecl {
  name: string;
  fields: Param[];
  pos: Pos;
}

export interface StorageDecl {
  name: string;
  type: TypeExpr;
  pos: Pos;
}

export interface InterfaceFn {
  name: string;
  params: Param[];
  returns?: TypeExpr;
  pos: Pos;
}

export interface InterfaceDecl {
  name: string;
  functions: InterfaceFn[];
  pos: Pos;
}

export interface FnDecl {
  name: string;
  /** `fn` and `view fn` are exported (callable by txs / state_call); `private fn` is not. */
  exported: boolean;
  view: boolean;
  params: Param[];
  returns?: TypeExpr;
  body: Block;
  pos: Pos;
  /** checker: number of local slots (params first). */
  locals?: number;
}

export interface ContractAst {
  name: string;
  consts: ConstDecl[];
  records: RecordDecl[];
  events: EventDecl[];
  storage: StorageDecl[];
  interfaces: InterfaceDecl[];
  functions: FnDecl[];
  pos: Pos;
}

/** A checked assignment target (checker): a local or a storage slot, then steps into its value. */
export interface Place {
  root: { kind: 'local'; slot: number } | { kind: 'storage'; index: number; keys: Expr[] };
  /**
   * The root slot may be absent (an optional storage read) and the path steps into it: the
   * stored value is unwrapped first and an absent one halts with VmError ABSENT.
   */
  unwrap: boolean;
  /** Steps into the root value, outermost first. */
  path: PlaceStep[];
  /** The type of the place itself (what is read, written or pushed to). */
  type: Type;
}

/** One step into a value: a record/tuple field, a list index or a map key. */
export type PlaceStep = { kind: 'field'; index: number } | { kind: 'index'; key: Expr; map: boolean };
