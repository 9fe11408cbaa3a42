/** Shared helpers of the VM tests: an in-memory host and compile-and-run shortcuts. */
import { createHash } from 'node:crypto';
import { decode, encode, toHex, type Value } from '../../core/encoding/index.js';
import { compile, execute, load, type ExecuteResult, type Host, type HostValue, type StorageWrite, type Transfer, type VerifiedProgram, type ViewResult } from '../../vm/index.js';

export { fixture } from './fixtures.js';

/** A 20-byte address filled with `n`. */
export function addr(n: number): Uint8Array {
  return new Uint8Array(20).fill(n);
}

/** A host over in-memory maps; storage values are kept encoded, as the chain does. */
export class MemoryHost implements Host {
  caller = addr(1);
  self = addr(0xcc);
  height = 10;
  timeMs = 1_000_000;
  txHash = new Uint8Array(32).fill(7);
  readonly storage = new Map<string, Uint8Array>();
  readonly balances = new Map<string, bigint>();
  views: ((target: Uint8Array, fn: string, args: HostValue[], gasLimit: number) => ViewResult) | undefined;
  reads = 0;

  storageGet(p: readonly HostValue[]): HostValue | undefined {
    this.reads++;
    const raw = this.storage.get(toHex(encode(p as Value[])));
    return raw === undefined ? undefined : (decode(raw) as HostValue);
  }

  /** Applies a successful call's effects, as core does. */
  apply(r: { writes: StorageWrite[]; transfers: Transfer[] }): void {
    for (const t of r.transfers) if (!this.move(t.from, t.to, t.amount)) throw new Error('a checked transfer failed');
    for (const w of r.writes) {
      const k = toHex(encode(w.path as Value[]));
      if (w.value === undefined) this.storage.delete(k);
      else this.storage.set(k, encode(w.value as Value));
    }
  }

  balance(a: Uint8Array): bigint {
    return this.balances.get(toHex(a)) ?? 0n;
  }

  balanceOf(a: Uint8Array): bigint {
    return this.balance(a);
  }

  private move(from: Uint8Array, to: Uint8Array, amount: bigint): boolean {
    if (this.balance(from) < amount) return false;
    this.balances.set(toHex(from), this.balance(from) - amount);
    this.balances.set(toHex(to), this.balance(to) + amount);
    return true;
  }

  callView(target: Uint8Array, fn: string, args: HostValue[], gasLimit: number): ViewResult {
    if (!this.views) throw new Error('no views in this test');
    return this.views(target, fn, args, gasLimit);
  }

  sha256(data: Uint8Array): Uint8Array {
    return new Uint8Array(createHash('sha256').update(data).digest());
  }

  encode(v: HostValue): Uint8Array {
    return encode(v as Value);
  }
}

/** A compiled, loaded contract with a host; `call` applies writes on success like core does. */
export class Deployed {
  readonly prog: VerifiedProgram;
  readonly code: Uint8Array;

  constructor(
    source: string,
    readonly host = new MemoryHost(),
  ) {
    this.code = compile(source).code;
    this.prog = load(this.code);
  }

  call(fn: string, args: HostValue[] = [], gasLimit = 10_000_000, mode: 'call' | 'view' = 'call'): ExecuteResult {
    const r = execute({ code: this.prog, fn, args, host: this.host, gasLimit, mode });
    this.host.apply(r);
    return r;
  }

  view(fn: string, args: HostValue[] = [], gasLimit = 10_000_000): HostValue {
    return this.call(fn, args, gasLimit, 'view').result;
  }
}

/** Compiles a function body into a one-function contract and runs it. */
export function runFn(body: string, opts: { returns?: string; params?: string; args?: HostValue[]; prelude?: string; gas?: number } = {}): ExecuteResult {
  const src = `contract t\n${opts.prelude ?? ''}\nfn main(${opts.params ?? ''})${opts.returns ? ` -> ${opts.returns}` : ''} {\n${body}\n}\n`;
  return new Deployed(src).call('main', opts.args ?? [], opts.gas ?? 10_000_000);
}

/** Result of `runFn`. */
export function evalFn(body: string, returns: string, opts: { prelude?: string; params?: string; args?: HostValue[] } = {}): HostValue {
  return runFn(body, { ...opts, returns }).result;
}
