/**
 * core/contracts viewCall: JSON arguments by ABI, the result back as JSON, the env a view
 * sees, and each failure as a typed ViewCallError — with the VM executor and with an
 * executor that has no ABI cache (the ABI then comes from the stored code).
 */
import { describe, expect, it } from 'vitest';
import { haltError, viewCall, ViewCallError, type ViewCallRequest } from '../../../core/contracts/index.js';
import { toHex } from '../../../core/encoding/index.js';
import { createVmExecutor, type ContractExecutor } from '../../../core/execution/index.js';
import { StateDB } from '../../../core/state/index.js';
import { Trie } from '../../../core/trie/index.js';
import { compile } from '../../../vm/index.js';

const SOURCE = `contract probe
record Pair { a: int, b: bytes? }
view fn who() -> (address, int, int) {
  return (caller, block.height, block.time)
}
view fn pair(p: Pair, xs: map<address, int>) -> Pair? {
  require(p.a >= 0, "negative")
  if p.a == 0 { return none }
  return Pair { a: p.a + len(xs), b: p.b }
}
view fn spin() -> int {
  let n = 0
  for i in range(100000000) { n += 1 }
  return n
}
view fn boom() -> int {
  return [1][5]
}
fn write() {
}
`;
const AT = new Uint8Array(20).fill(0xc0);
const ME = new Uint8Array(20).fill(0x11);

function setup(executor: ContractExecutor = createVmExecutor()) {
  const state = new StateDB(new Trie({ keyLength: 32 }));
  state.setCode(AT, compile(SOURCE).code);
  const call = (method: string, args: ViewCallRequest['args'], over: Partial<ViewCallRequest> = {}) =>
    viewCall({ state, executor, block: { chainId: 'c', height: 7, timeMs: 1234 }, to: AT, method, args, gasLimit: 1_000_000, ...over });
  return { state, call };
}

function failure(f: () => unknown): ViewCallError {
  try {
    f();
  } catch (e) {
    if (e instanceof ViewCallError) return e;
    throw e;
  }
  throw new Error('expected a ViewCallError');
}

describe('viewCall', () => {
  it('passes the head block and the caller to the view (zero address by default)', () => {
    const { call } = setup();
    expect(call('who', []).result).toEqual([toHex(new Uint8Array(20)), 7, 1234]);
    expect(call('who', [], { from: ME }).result).toEqual([toHex(ME), 7, 1234]);
  });

  it('converts records, address-keyed maps and options by the ABI, positionally or by name', () => {
    const { call } = setup();
    const xs = [[toHex(ME), 1], [toHex(AT), 2]];
    expect(call('pair', [{ a: 1, b: '0xab' }, xs]).result).toEqual({ a: 3, b: '0xab' });
    expect(call('pair', { p: { a: 1 }, xs: [] }).result).toEqual({ a: 1, b: null });
    expect(call('pair', [{ a: 0 }, []]).result).toBeNull();
    expect(call('pair', [{ a: 1 }, []]).gasUsed).toBeGreaterThan(0);
  });

  it('fails with typed errors: unknown contract, bad call, revert, out of gas, VM fault', () => {
    const { call } = setup();
    expect(failure(() => call('who', [], { to: ME }))).toMatchObject({ code: 'STATE_UNKNOWN_CONTRACT' });
    expect(failure(() => call('nope', []))).toMatchObject({ code: 'STATE_BAD_CALL' });
    expect(failure(() => call('write', []))).toMatchObject({ code: 'STATE_BAD_CALL' });
    expect(failure(() => call('pair', [{ a: 'x' }, []]))).toMatchObject({ code: 'STATE_BAD_CALL', context: { param: 'p.a' } });
    expect(failure(() => call('pair', [{ a: 1, c: 2 }, []]))).toMatchObject({ code: 'STATE_BAD_CALL' });
    expect(failure(() => call('pair', [{ a: -1 }, []]))).toMatchObject({ code: 'VM_REVERT', context: { revert: 'negative' } });
    expect(failure(() => call('spin', []))).toMatchObject({ code: 'VM_OUT_OF_GAS' });
    expect(failure(() => call('boom', []))).toMatchObject({ code: 'VM_ERROR' });
  });

  it('reads the ABI from the stored code when the executor has no abiAt', () => {
    const vm = createVmExecutor();
    const plain: ContractExecutor = { deploy: vm.deploy, call: vm.call, view: vm.view };
    const { call, state } = setup(plain);
    expect(call('pair', [{ a: 2 }, []]).result).toEqual({ a: 2, b: null });
    state.setCode(ME, new Uint8Array([1, 2, 3]));
    expect(failure(() => call('who', [], { to: ME }))).toMatchObject({ code: 'STATE_UNKNOWN_CONTRACT' });
  });
});

describe('haltError', () => {
  it("recovers the halt's kind from the executor's text", () => {
    expect(haltError('reverted: no-consent (at 12:5)', 10)).toMatchObject({ code: 'VM_REVERT', context: { revert: 'no-consent', gasUsed: 10 } });
    expect(haltError('reverted: Registry.get: a (b) (at 3:1)', 1).context.revert).toBe('Registry.get: a (b)');
    expect(haltError('reverted: plain', 1).context.revert).toBe('plain');
    expect(haltError('out of gas (at 1:1)', 5)).toMatchObject({ code: 'VM_OUT_OF_GAS' });
    expect(haltError('INT_OVERFLOW: 2^63 (at 1:1)', 5)).toMatchObject({ code: 'VM_ERROR' });
    expect(haltError('a view tried to change state', 5)).toMatchObject({ code: 'VM_ERROR' });
  });
});
