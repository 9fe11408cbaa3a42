/**
 * The types of the rule language's values, shared by the type checker, the compiler, the
 * container, the ABI and the host-boundary conversion. Records list their fields sorted by
 * the UTF-8 bytes of their names, the order of their canonical msgpack encoding.
 */

/** A value type. */
export type Type =
  | { readonly k: 'int' }
  | { readonly k: 'bool' }
  | { readonly k: 'string' }
  | { readonly k: 'bytes' }
  | { readonly k: 'address' }
  /** The "no value" of a function without a result (null on the wire). */
  | { readonly k: 'unit' }
  | { readonly k: 'list'; readonly of: Type }
  | { readonly k: 'map'; readonly key: Type; readonly value: Type }
  | { readonly k: 'tuple'; readonly items: readonly Type[] }
  | { readonly k: 'record'; readonly name: string; readonly fields: readonly Field[] }
  | { readonly k: 'option'; readonly of: Type };

/** A named, typed member of a record, event or parameter list. */
export interface Field {
  readonly name: string;
  readonly type: Type;
}

export const INT: Type = { k: 'int' };
export const BOOL: Type = { k: 'bool' };
export const STRING: Type = { k: 'string' };
export const BYTES: Type = { k: 'bytes' };
export const ADDRESS: Type = { k: 'address' };
export const UNIT: Type = { k: 'unit' };

/** list<of> */
export const listOf = (of: Type): Type => ({ k: 'list', of });
/** of? */
export const optionOf = (of: Type): Type => ({ k: 'option', of });

/**
 * Deepest type nesting a container may declare. Values are at most as deep as their type
 * (plus nothing), and every recursive walk over a value is bounded by this, so no walk can
 * overflow the JS stack; real medical records are under 6 levels.
 */
export const MAX_TYPE_DEPTH = 16;

/** Types that can be map keys (and storage-map keys): scalars with a total order. */
export function isKeyType(t: Type): boolean {
  return t.k === 'int' || t.k === 'string' || t.k === 'bytes' || t.k === 'address' || t.k === 'bool';
}

/** Types whose absent storage slot reads as a zero value (others must be declared `T?`). */
export function hasZero(t: Type): boolean {
  return ['int', 'bool', 'string', 'bytes', 'list', 'map', 'option'].includes(t.k);
}

/** Nesting depth of a type (scalars are 0). */
export function typeDepth(t: Type): number {
  switch (t.k) {
    case 'list':
    case 'option':
      return 1 + typeDepth(t.of);
    case 'map':
      return 1 + Math.max(typeDepth(t.key), typeDepth(t.value));
    case 'tuple':
      return 1 + Math.max(0, ...t.items.map(typeDepth));
    case 'record':
      return 1 + Math.max(0, ...t.fields.map((f) => typeDepth(f.type)));
    default:
      return 0;
  }
}

/** Structural equality (records by name and fields). */
export function typeEquals(a: Type, b: Type): boolean {
  if (a === b) return true;
  if (a.k !== b.k) return false;
  switch (a.k) {
    case 'list':
    case 'option':
      return typeEquals(a.of, (b as typeof a).of);
    case 'map':
      return typeEquals(a.key, (b as typeof a).key) && typeEquals(a.value, (b as typeof a).value);
    case 'tuple': {
      const bi = (b as typeof a).items;
      return a.items.length === bi.length && a.items.every((t, i) => typeEquals(t, bi[i]));
    }
    case 'record': {
      const bb = b as typeof a;
      return a.name === bb.name && a.fields.length === bb.fields.length && a.fields.every((f, i) => f.name === bb.fields[i].name && typeEquals(f.type, bb.fields[i].type));
    }
    default:
      return true;
  }
}

/** How a type is written in source and in the ABI: `list<string>`, `(string,int)`, `Grant?`. */
export function typeToString(t: Type): string {
  switch (t.k) {
    case 'list':
      return `list<${typeToString(t.of)}>`;
    case 'map':
      return `map<${typeToString(t.key)},${typeToString(t.value)}>`;
    case 'tuple':
      return `(${t.items.map(typeToString).join(',')})`;
    case 'record':
      return t.name;
    case 'option':
      return `${typeToString(t.of)}?`;
    default:
      return t.k;
  }
}

/** Compares strings by their UTF-8 bytes (= by code point), the canonical key order. */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // UTF-16 order differs from code-point order only when one side is a surrogate
    // (U+D800..DFFF encodes code points above U+FFFF, which sort after U+E000..FFFF).
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** Sorts record fields into canonical (UTF-8 byte) order. */
export function sortFields(fields: readonly Field[]): Field[] {
  return [...fields].sort((a, b) => compareUtf8(a.name, b.name));
}
