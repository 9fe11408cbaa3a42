import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MedchainError } from '../../core/errors.js';
import { APP_ERRORS, applicationErrors, INVALID_PARAMS, RPC_ERRORS, RpcError, toRpcError } from '../../rpc/errors.js';

describe('error mapping table', () => {
  it('keeps application codes in -32000..-32099 (or -32602 for bad input) with snake_case reasons', () => {
    for (const e of applicationErrors()) {
      expect(e.code === INVALID_PARAMS || (e.code <= -32000 && e.code >= -32099), e.reason).toBe(true);
      expect(e.reason).toMatch(/^[a-z][a-z0-9_]*$/);
    }
  });

  it('gives every reason exactly one code and every code exactly one reason (except -32602)', () => {
    const codeOf = new Map<string, number>();
    const reasonOf = new Map<number, string>();
    for (const spec of [...Object.values(RPC_ERRORS), ...Object.values(APP_ERRORS)]) {
      if (codeOf.has(spec.reason)) expect(codeOf.get(spec.reason), spec.reason).toBe(spec.code);
      codeOf.set(spec.reason, spec.code);
      if (spec.code === INVALID_PARAMS) continue;
      if (reasonOf.has(spec.code)) expect(reasonOf.get(spec.code), String(spec.code)).toBe(spec.reason);
      reasonOf.set(spec.code, spec.reason);
    }
  });

  it('covers the reasons issue 5 names', () => {
    const reasons = new Set(applicationErrors().map((e) => e.reason));
    for (const r of ['nonce_too_low', 'insufficient_balance', 'mempool_full', 'unknown_block', 'rate_limited']) expect(reasons.has(r), r).toBe(true);
  });

  it('is documented row by row in rpc/ERRORS.md', () => {
    const doc = readFileSync(new URL('../../rpc/ERRORS.md', import.meta.url), 'utf8');
    for (const e of applicationErrors()) {
      expect(doc, e.reason).toMatch(new RegExp(`\\| ${e.code} \\| \`${e.reason}\` \\|`));
      for (const c of e.medchainCodes) expect(doc, c).toContain(`\`${c}\``);
    }
  });
});

describe('toRpcError', () => {
  it('maps a known MedchainError code with its message, reason and primitive context', () => {
    const e = new MedchainError('MEMPOOL_NONCE_TOO_LOW', 'nonce 3 is below the account nonce 5', {
      nonce: 3,
      expected: 5,
      sender: new Uint8Array([1, 2]),
      nested: { secret: 'x' },
      big: 2n ** 64n,
    });
    expect(toRpcError(e).toJSON()).toEqual({
      code: -32014,
      message: 'nonce 3 is below the account nonce 5',
      data: { reason: 'nonce_too_low', message: 'nonce 3 is below the account nonce 5', nonce: 3, expected: 5, sender: '0x0102', big: '18446744073709551616' },
    });
  });

  it('never lets context override reason or message', () => {
    const r = toRpcError(new MedchainError('MEMPOOL_FULL', 'full', { reason: 'spoof', message: 'spoof' }));
    expect(r.data).toMatchObject({ reason: 'mempool_full', message: 'full' });
  });

  it('turns unknown errors into -32603 without message or stack, and reports them', () => {
    const seen: unknown[] = [];
    for (const err of [new Error('db path /secret/x'), new MedchainError('TRIE_MISSING_NODE', 'missing node 0xabc'), 'a string', undefined]) {
      const r = toRpcError(err, (e) => seen.push(e));
      expect(r.toJSON()).toEqual({ code: -32603, message: 'Internal error', data: { reason: 'internal_error' } });
    }
    expect(seen).toHaveLength(4);
  });

  it('passes RpcErrors through', () => {
    const e = RpcError.invalidParams('x', 'bad');
    expect(toRpcError(e)).toBe(e);
  });
});
