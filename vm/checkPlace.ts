/**
 * Assignment targets: `x`, `x.f[k].g`, `storage.v`, `storage.m[k1][k2].f`. A place is a
 * root (a local slot, or a storage slot with its keys) and a path of steps into the root's
 * value; the compiler rebuilds the value along the path (values are immutable). Part of
 * the type checker (vm/types.ts).
 */
import type { Expr, Place, PlaceStep } from './ast.js';
import { expectType, lookupLocal, readType, type CheckCtx, type FnCtx } from './checkExpr.js';
import { INT, typeToString, type Type } from './valueType.js';

/** Resolves an assignment, push or delete target into a Place (root, unwrap, path, type). */
export function checkPlace(c: CheckCtx, f: FnCtx, target: Expr, mode: 'write' | 'delete'): Place {
  const steps: Array<Extract<Expr, { kind: 'field' | 'index' }>> = [];
  let e = target;
  while ((e.kind === 'field' && e.target.kind !== 'storage') || e.kind === 'index') {
    steps.unshift(e);
    e = e.target;
  }
  let root: Place['root'];
  let cur: Type;
  let unwrap = false;
  if (e.kind === 'name') {
    const local = lookupLocal(f, e.name);
    if (!local) c.fail(c.consts.has(e.name) ? 'COMPILE_NOT_ASSIGNABLE' : 'COMPILE_UNKNOWN_NAME', c.consts.has(e.name) ? `constant ${e.name} cannot be changed` : `unknown name '${e.name}'`, e.pos);
    root = { kind: 'local', slot: local!.slot };
    cur = local!.type;
    if (steps.length === 0 && mode === 'delete') c.fail('COMPILE_NOT_ASSIGNABLE', 'delete removes a map entry or a storage slot, not a variable', target.pos);
  } else if (e.kind === 'field' && e.target.kind === 'storage') {
    const s = c.storage.get(e.name);
    if (!s) c.fail('COMPILE_UNKNOWN_NAME', `unknown storage variable '${e.name}'`, e.namePos);
    if (f.sig.view) c.fail('COMPILE_VIEW_WRITES', `view ${f.sig.name} cannot change storage.${e.name}`, target.pos);
    const v = s!.v;
    const keys: Expr[] = [];
    for (let i = 0; i < v.keys.length; i++) {
      const k = steps.shift();
      if (!k || k.kind !== 'index') c.fail('COMPILE_NOT_ASSIGNABLE', `storage.${v.name} takes ${v.keys.length} key(s) before it is a value`, (k ?? target).pos);
      expectType(c, f, k!.index, v.keys[i], `key of storage.${v.name}`);
      keys.push(k!.index);
    }
    root = { kind: 'storage', index: s!.index, keys };
    cur = readType(v);
    if (steps.length > 0 && cur.k === 'option') {
      unwrap = true;
      cur = cur.of;
    }
  } else {
    return c.fail('COMPILE_NOT_ASSIGNABLE', 'only variables, their fields and items, and storage can be assigned', target.pos);
  }
  const path: PlaceStep[] = [];
  steps.forEach((st, i) => {
    if (cur.k === 'option') c.fail('COMPILE_TYPE', `this value is optional (${typeToString(cur)}): unwrap it into a variable first`, st.pos);
    const last = i === steps.length - 1;
    if (st.kind === 'field') {
      if (cur.k === 'record') {
        const at = cur.fields.findIndex((x) => x.name === st.name);
        if (at < 0) c.fail('COMPILE_UNKNOWN_NAME', `record ${cur.name} has no field '${st.name}'`, st.namePos);
        path.push({ kind: 'field', index: at });
        cur = cur.fields[at].type;
      } else if (cur.k === 'tuple') {
        const at = /^\d+$/.test(st.name) ? Number(st.name) : -1;
        if (at < 0 || at >= cur.items.length) c.fail('COMPILE_UNKNOWN_NAME', `tuple ${typeToString(cur)} has no item .${st.name}`, st.namePos);
        path.push({ kind: 'field', index: at });
        cur = cur.items[at];
      } else c.fail('COMPILE_TYPE', `${typeToString(cur)} has no fields`, st.namePos);
    } else if (cur.k === 'list') {
      if (mode === 'delete' && last) c.fail('COMPILE_NOT_ASSIGNABLE', 'list items cannot be deleted', st.pos);
      expectType(c, f, st.index, INT, 'list index');
      path.push({ kind: 'index', key: st.index, map: false });
      cur = cur.of;
    } else if (cur.k === 'map') {
      expectType(c, f, st.index, cur.key, 'map key');
      path.push({ kind: 'index', key: st.index, map: true });
      cur = cur.value;
    } else c.fail('COMPILE_TYPE', `cannot index ${typeToString(cur)}`, st.pos);
  });
  if (mode === 'delete' && path.length > 0 && !(path[path.length - 1] as { map?: boolean }).map) {
    c.fail('COMPILE_NOT_ASSIGNABLE', 'delete removes a map entry or a storage slot', target.pos);
  }
  // writing m[k] may create the entry; `none` there is not a value (use delete)
  return { root, unwrap, path, type: cur };
}
