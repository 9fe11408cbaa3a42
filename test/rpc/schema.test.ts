import { describe, expect, it } from 'vitest';
import { assertSchema, SchemaDefinitionError, validate, type Schema } from '../../rpc/schema.js';

const ok = (s: Schema, v: unknown) => expect(validate(s, v)).toBeUndefined();
const bad = (s: Schema, v: unknown, path = '') => {
  const r = validate(s, v);
  expect(r, typeof v).toBeDefined();
  expect(r?.path).toBe(path);
  return r?.message ?? '';
};

describe('schema validator', () => {
  it('checks each JSON type', () => {
    ok({ type: 'string' }, 'x');
    ok({ type: 'integer' }, 3);
    ok({ type: 'number' }, 3.5);
    ok({ type: 'number' }, 3);
    ok({ type: 'boolean' }, false);
    ok({ type: 'null' }, null);
    ok({ type: 'array' }, []);
    ok({ type: 'object' }, {});
    expect(bad({ type: 'string' }, 1)).toBe('expected string, got integer');
    bad({ type: 'integer' }, 1.5);
    bad({ type: 'object' }, []);
    bad({ type: 'array' }, {});
    bad({ type: 'null' }, 0);
    bad({ type: 'boolean' }, 'true');
  });

  it('rejects integers beyond 2^53-1 (they travel as decimal strings)', () => {
    expect(bad({ type: 'integer' }, 2 ** 53)).toMatch(/decimal string/);
  });

  it('checks enum, const, bounds, lengths and patterns', () => {
    ok({ enum: ['a', 'b'] }, 'a');
    expect(bad({ enum: ['a', 'b'] }, 'c')).toMatch(/one of "a", "b"/);
    bad({ const: 1 }, 2);
    ok({ type: 'integer', minimum: 0, maximum: 10 }, 10);
    bad({ type: 'integer', minimum: 0 }, -1);
    bad({ type: 'integer', maximum: 10 }, 11);
    bad({ type: 'string', maxLength: 3 }, 'abcd');
    bad({ type: 'string', minLength: 1 }, '');
    const hex: Schema = { type: 'string', pattern: '^0x[0-9a-f]*$', maxLength: 10 };
    ok(hex, '0xab');
    bad(hex, '0xzz');
    // maxLength is checked before the pattern, so a huge string never reaches the regex
    expect(bad(hex, '0x' + 'a'.repeat(1_000_000))).toMatch(/longer than 10/);
  });

  it('checks arrays item by item and names the index', () => {
    const s: Schema = { type: 'array', items: { type: 'integer' }, maxItems: 3, minItems: 1 };
    ok(s, [1, 2]);
    bad(s, [1, 'x'], '[1]');
    bad(s, [1, 2, 3, 4]);
    bad(s, []);
  });

  it('checks objects: required, properties, additionalProperties, maxProperties, nested paths', () => {
    const s: Schema = {
      type: 'object',
      required: ['a'],
      properties: { a: { type: 'integer' }, b: { type: 'object', properties: { c: { type: 'string' } }, additionalProperties: false } },
      additionalProperties: false,
    };
    ok(s, { a: 1, b: { c: 'x' } });
    expect(bad(s, {}, 'a')).toBe('is required');
    bad(s, { a: 1, z: 1 }, 'z');
    bad(s, { a: 1, b: { c: 1 } }, 'b.c');
    bad(s, { a: 1, b: { d: 1 } }, 'b.d');
    bad({ type: 'object', maxProperties: 1 }, { a: 1, b: 2 });
    ok({ type: 'object', additionalProperties: { type: 'integer' } }, { x: 1, y: 2 });
    bad({ type: 'object', additionalProperties: { type: 'integer' } }, { x: 1, y: 'a' }, 'y');
  });

  it('treats __proto__ as an ordinary key', () => {
    const v = JSON.parse('{"__proto__": 5}');
    bad({ type: 'object', additionalProperties: false }, v, '__proto__');
  });

  it('oneOf needs exactly one match', () => {
    const s: Schema = { oneOf: [{ type: 'string', maxLength: 5 }, { type: 'integer' }] };
    ok(s, 'abc');
    ok(s, 7);
    bad(s, true);
    bad({ oneOf: [{ type: 'number' }, { type: 'integer' }] }, 1);
  });

  it('is bounded by the schema, not by the depth of the data', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    ok({ type: 'array' }, deep);
    bad({ type: 'array', items: { type: 'integer' } }, deep, '[0]');
  });
});

describe('schema definitions', () => {
  it('rejects unsupported keywords and types', () => {
    expect(() => assertSchema({ maxlength: 3 } as Schema, 'x')).toThrow(SchemaDefinitionError);
    expect(() => assertSchema({ type: 'date' } as unknown as Schema, 'x')).toThrow(/unsupported type/);
    expect(() => assertSchema({ properties: { a: { $ref: '#' } as Schema } }, 'x')).toThrow(/x\.a/);
  });

  it('demands maxLength next to pattern and a valid regex', () => {
    expect(() => assertSchema({ type: 'string', pattern: '^a$' }, 'x')).toThrow(/maxLength/);
    expect(() => assertSchema({ type: 'string', pattern: '(', maxLength: 3 }, 'x')).toThrow(SyntaxError);
  });
});
