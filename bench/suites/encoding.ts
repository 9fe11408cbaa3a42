/**
 * Canonical MessagePack codec (issue 2) against two references run in the same process:
 * JSON.stringify/JSON.parse of the equivalent JSON (bytes as 0x-hex strings, the RPC form)
 * and msgpackr's default pack/unpack (fast, but neither canonical nor strict).
 *
 * The references are flattered: the JSON side gets its hex strings prepared in advance and
 * JSON.parse does not turn them back into bytes; msgpackr checks no canonical rule and
 * returns views. Our decode checks every rule of design §2 and copies each bin.
 */
import { pack, unpack } from 'msgpackr';
import { decode, encode, encodeWith, toHex, type Value } from '../../core/encoding/index.js';
import { compareTo, type Figure, type Suite } from '../figure.js';
import { opsPerSec } from '../measure.js';

/** Deterministic bytes: `n` bytes counting up from `seed`. */
function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (seed + i * 7) & 0xff;
  return out;
}

/** A SignedTx-shaped tuple (design §4): 154 bytes encoded for nonce 0. */
function tx(nonce: number): Value[] {
  return [1, 'medchain-dev', nonce, bytes(32, 1), bytes(20, 2), 'transfer', [5], 1_000_000, bytes(64, nonce)];
}

/** A block-shaped value: a Header tuple (design §6) and 100 txs. */
function block(): Value[] {
  const header = ['medchain-dev', 12_345, bytes(32, 3), 1_700_000_000_000, bytes(20, 4), bytes(32, 5), bytes(32, 6), bytes(32, 7), bytes(32, 8), bytes(32, 9)];
  const txs: Value[] = [];
  for (let i = 0; i < 100; i++) txs.push(tx(i * 1_000));
  return [header, txs];
}

/** The same value as RPC JSON: bytes as 0x-hex strings. */
function toJson(v: Value): unknown {
  if (v instanceof Uint8Array) return toHex(v);
  if (Array.isArray(v)) return v.map(toJson);
  return v;
}

/** Keeps results reachable so the optimiser cannot drop the measured calls. */
let sink: unknown;

function workload(label: string, value: Value): Figure[] {
  const ours = encode(value);
  const json = JSON.stringify(toJson(value));
  const mp = pack(value);
  console.log(`  ${label}: ${ours.length} bytes canonical msgpack, ${mp.length} msgpackr, ${json.length} JSON`);
  const jsonValue = toJson(value);

  const encOurs = opsPerSec(`encode ${label} — medchain`, () => {
    sink = encode(value);
  });
  // the no-copy path for bytes that are only hashed or sent: the callback just reads one byte
  const encView = opsPerSec(`encodeWith ${label} (lent view) — medchain`, () => {
    sink = encodeWith(value, (b) => b[0]);
  });
  const encJson = opsPerSec(`encode ${label} — JSON.stringify`, () => {
    sink = JSON.stringify(jsonValue);
  });
  const encMp = opsPerSec(`encode ${label} — msgpackr pack`, () => {
    sink = pack(value);
  });
  const decOurs = opsPerSec(`decode ${label} — medchain`, () => {
    sink = decode(ours);
  });
  const decJson = opsPerSec(`decode ${label} — JSON.parse`, () => {
    sink = JSON.parse(json);
  });
  const decMp = opsPerSec(`decode ${label} — msgpackr unpack`, () => {
    sink = unpack(mp);
  });
  const figures = [
    compareTo(encOurs, encJson),
    compareTo(encView, encJson),
    compareTo(encMp, encJson),
    compareTo(decOurs, decJson),
    compareTo(decMp, decJson),
  ];
  const r = (a: Figure, b: Figure) => (a.median / b.median).toFixed(2);
  console.log(`  ${label}: medchain vs JSON encode ${r(encOurs, encJson)}x, decode ${r(decOurs, decJson)}x`);
  console.log(`  ${label}: medchain vs msgpackr encode ${r(encOurs, encMp)}x (encodeWith ${r(encView, encMp)}x), decode ${r(decOurs, decMp)}x`);
  return figures;
}

/** `npm run bench -- encoding`: encode/decode ops/s of a tx and of a 100-tx block, with references. */
export const run: Suite = async () => {
  const figures = [...workload('tx', tx(0)), ...workload('block (100 txs)', block())];
  void sink;
  return figures;
};
