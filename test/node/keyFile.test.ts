/**
 * Key files: written 0600 and never overwritten; read back with every field checked against
 * the secret key; anything malformed, mismatched, huge or special is a NODE_BAD_KEY naming it.
 */
import { closeSync, existsSync, ftruncateSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addressOf, getPublicKey } from '../../core/crypto/index.js';
import { toHex } from '../../core/encoding/index.js';
import { NodeError } from '../../node/errors.js';
import { keyPair, newKeyPair, readKeyFile, writeKeyFile } from '../../node/keyFile.js';
import { DEV, TempDirs } from '../fixtures/chainFixtures.js';

const tmp = new TempDirs();
afterAll(() => tmp.cleanup());

function expectBadKey(f: () => unknown, field?: string): NodeError {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected NODE_BAD_KEY, got ${String(caught)}`).toBeInstanceOf(NodeError);
  const err = caught as NodeError;
  expect(err.code).toBe('NODE_BAD_KEY');
  if (field !== undefined) expect(err.context.field).toBe(field);
  return err;
}

/** Writes `content` (JSON-stringified unless a string) to a fresh file. */
function file(content: unknown, name = 'key.json'): string {
  const p = path.join(tmp.make('medchain-key-'), name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}

const dev = DEV[3];
const good = () => ({ secretKey: toHex(dev.secretKey), publicKey: toHex(dev.publicKey), address: toHex(dev.address) });

describe('keys', () => {
  it('keyPair derives the public key and address of a seed', () => {
    const k = keyPair(dev.secretKey);
    expect(k.publicKey).toEqual(dev.publicKey);
    expect(k.address).toEqual(dev.address);
  });

  it('newKeyPair is random and consistent', () => {
    const a = newKeyPair();
    const b = newKeyPair();
    expect(a.secretKey).toHaveLength(32);
    expect(toHex(a.secretKey)).not.toBe(toHex(b.secretKey));
    expect(a.publicKey).toEqual(getPublicKey(a.secretKey));
    expect(a.address).toEqual(addressOf(a.publicKey));
  });
});

describe('writeKeyFile', () => {
  it('writes {secretKey, publicKey, address} readable by the owner only, and reads back', () => {
    const p = path.join(tmp.make('medchain-key-'), 'k.json');
    const k = newKeyPair();
    writeKeyFile(p, k);
    expect(statSync(p).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(p, 'utf8'))).toEqual({ secretKey: toHex(k.secretKey), publicKey: toHex(k.publicKey), address: toHex(k.address) });
    expect(readKeyFile(p)).toEqual(k);
  });

  it('refuses to overwrite an existing file with a NodeError, leaving it intact', () => {
    const p = file('precious');
    const err = expectBadKey(() => writeKeyFile(p, newKeyPair()));
    expect(err.message).toMatch(/exists/);
    expect(readFileSync(p, 'utf8')).toBe('precious');
  });

  it('reports an unwritable location as a NodeError', () => {
    const p = path.join(tmp.make('medchain-key-'), 'no', 'such', 'dir', 'k.json');
    expectBadKey(() => writeKeyFile(p, newKeyPair()));
    expect(existsSync(p)).toBe(false);
  });
});

describe('readKeyFile', () => {
  it('accepts a key file with only the secret key, or with matching public key and address', () => {
    expect(readKeyFile(file({ secretKey: toHex(dev.secretKey) })).address).toEqual(dev.address);
    expect(readKeyFile(file(good())).publicKey).toEqual(dev.publicKey);
    // hex case does not matter
    const upper = good();
    upper.publicKey = '0x' + upper.publicKey.slice(2).toUpperCase();
    upper.address = '0x' + upper.address.slice(2).toUpperCase();
    expect(readKeyFile(file(upper)).address).toEqual(dev.address);
  });

  it('rejects a missing file, a directory, or text that is not JSON', () => {
    expectBadKey(() => readKeyFile(path.join(tmp.make('medchain-key-'), 'missing.json')));
    expectBadKey(() => readKeyFile(tmp.make('medchain-key-')));
    for (const t of ['', 'secretKey=0x00', '{"secretKey":', '\u0000']) expectBadKey(() => readKeyFile(file(t)));
  });

  it('rejects JSON that is not an object with a 32-byte hex secretKey', () => {
    const sk = toHex(dev.secretKey);
    for (const v of [null, 5, '"str"', [], [sk], {}, { secretKey: null }, { secretKey: 5 }, { secretKey: sk.slice(2) }, { secretKey: sk.slice(0, -2) }, { secretKey: sk + '00' }, { secretKey: sk.slice(0, -1) + 'g' }, { secretKey: [sk] }]) {
      expectBadKey(() => readKeyFile(file(v)), 'secretKey');
    }
  });

  it('rejects a publicKey that does not match the secret key', () => {
    const err = expectBadKey(() => readKeyFile(file({ ...good(), publicKey: toHex(DEV[4].publicKey) })), 'publicKey');
    expect(err.message).toMatch(/does not match/);
    for (const pk of [5, null, '0x1234', toHex(dev.publicKey).slice(2)]) expectBadKey(() => readKeyFile(file({ ...good(), publicKey: pk })), 'publicKey');
  });

  it('rejects an address that does not match the secret key', () => {
    expectBadKey(() => readKeyFile(file({ ...good(), address: toHex(DEV[4].address) })), 'address');
    for (const a of [5, null, '0x1234', toHex(dev.publicKey)]) expectBadKey(() => readKeyFile(file({ ...good(), address: a })), 'address');
  });

  it('refuses a huge file or a special file instead of reading it', () => {
    const p = path.join(tmp.make('medchain-key-'), 'huge.json');
    const fd = openSync(p, 'w');
    ftruncateSync(fd, 256 * 1024 * 1024);
    closeSync(fd);
    const t0 = performance.now();
    expectBadKey(() => readKeyFile(p));
    expect(performance.now() - t0).toBeLessThan(500);
    if (existsSync('/dev/zero')) expectBadKey(() => readKeyFile('/dev/zero'));
  });

  it('never puts the secret key in an error message', () => {
    const sk = toHex(dev.secretKey);
    const errs = [
      expectBadKey(() => readKeyFile(file({ ...good(), publicKey: toHex(DEV[4].publicKey) }))),
      expectBadKey(() => readKeyFile(file({ secretKey: sk + '0' }))),
      expectBadKey(() => readKeyFile(file(`{"secretKey":"${sk}",}`))),
      expectBadKey(() => readKeyFile(file(`{'secretKey':'${sk}'}`))),
      expectBadKey(() => readKeyFile(file(`{"secretKey":${sk}}`))),
      expectBadKey(() => readKeyFile(file(`secretKey = "${sk}"`))),
    ];
    for (const e of errs) {
      expect(e.message).not.toContain(sk.slice(2, 20));
      expect(JSON.stringify(e.context)).not.toContain(sk.slice(2, 20));
    }
  });
});
