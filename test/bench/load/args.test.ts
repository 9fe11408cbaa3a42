import { describe, expect, it } from 'vitest';
import { DEFAULT_SPAWN_BLOCK_MS, parseDuration, parseLoadArgs } from '../../../bench/load/args.js';
import { contractCall } from '../../../bench/load/callBench.js';
import { LoadError } from '../../../bench/load/errors.js';
import { assignWorkloads } from '../../../bench/load/mix.js';
import { requireWorkloads } from '../../../bench/load/workloads/index.js';

/** The LoadError a parse throws (fails the test if it does not throw one). */
function parseError(argv: string[]): LoadError {
  try {
    parseLoadArgs(argv);
  } catch (e) {
    expect(e).toBeInstanceOf(LoadError);
    expect((e as LoadError).code).toBe('LOAD_BAD_ARGS');
    return e as LoadError;
  }
  throw new Error(`parse of ${argv.join(' ')} did not fail`);
}

describe('parseLoadArgs', () => {
  it("parses the issue's command line", () => {
    const o = parseLoadArgs('--url ws://127.0.0.1:8546 --mix transfer=60,consent=20,claim=20 --rate 3000 --duration 60s --connections 8'.split(' '));
    expect(o.target).toEqual({ kind: 'url', url: 'ws://127.0.0.1:8546' });
    expect(o.mode).toEqual({
      kind: 'tx',
      mix: [
        { name: 'transfer', weight: 60 },
        { name: 'consent', weight: 20 },
        { name: 'claim', weight: 20 },
      ],
      rates: [{ kind: 'fixed', txPerSec: 3000 }],
    });
    expect([o.durationMs, o.connections]).toEqual([60_000, 8]);
  });

  it('parses the medical workloads, bare names as weight 1 and weight 0 as left out', () => {
    const mix = (v: string) => (parseLoadArgs(['--mix', v]).mode as { mix: unknown }).mix;
    expect(mix('consent=34,record=33,claim=33')).toEqual([
      { name: 'consent', weight: 34 },
      { name: 'record', weight: 33 },
      { name: 'claim', weight: 33 },
    ]);
    expect(mix('record, claim=2.5 ,transfer=0')).toEqual([
      { name: 'record', weight: 1 },
      { name: 'claim', weight: 2.5 },
    ]);
  });

  it('defaults to a closed-loop transfer run and parses spawn, phases and call modes', () => {
    const o = parseLoadArgs(['--spawn', '--rate', 'max,80%', '--node-args', '--cpu-prof --cpu-prof-dir /tmp/p', '--conn-rate', 'off']);
    expect(o.target).toEqual({ kind: 'spawn', blockMs: DEFAULT_SPAWN_BLOCK_MS, nodeArgs: ['--cpu-prof', '--cpu-prof-dir', '/tmp/p'] });
    expect(o.mode).toEqual({ kind: 'tx', mix: [{ name: 'transfer', weight: 100 }], rates: [{ kind: 'max' }, { kind: 'percentOfMax', percent: 80 }] });
    expect(o.connRate).toBe(Infinity);
    expect([o.targets, parseLoadArgs(['--no-targets']).targets]).toEqual([true, false]);
    expect(parseLoadArgs(['--rate', 'max,80%:10m,2000:90s']).mode).toMatchObject({
      rates: [{ kind: 'max' }, { kind: 'percentOfMax', percent: 80, durationMs: 600_000 }, { kind: 'fixed', txPerSec: 2000, durationMs: 90_000 }],
    });
    expect(parseLoadArgs(['--rpc-method', 'chain_getInfo']).mode).toEqual({ kind: 'call', rpcMethod: 'chain_getInfo', params: [] });
    expect(parseLoadArgs(['--call', 'consent.check', '--duration=2s']).mode).toEqual({ kind: 'call', contractCall: { contract: 'consent', method: 'check' }, params: [] });
    expect([parseDuration('500ms', 'x'), parseDuration('2m', 'x'), parseDuration('1.5', 'x')]).toEqual([500, 120_000, 1500]);
  });

  const cases: Array<[string, string[], RegExp]> = [
    ['an unknown flag', ['--speed', '3'], /--speed: unknown flag/],
    ['a missing value', ['--rate'], /--rate: needs a value/],
    ['a flag given twice', ['--rate', '1', '--rate', '2'], /--rate: given twice/],
    ['a bad rate', ['--rate', 'fast'], /"fast" is not a rate/],
    ['a zero rate', ['--rate', '0'], /"0" is not a rate/],
    ['a bad phase duration', ['--rate', 'max:soon'], /--rate: "soon" is not a duration/],
    ['a percentage without a max phase', ['--rate', '80%'], /80% needs a preceding max phase/],
    ['an unknown workload', ['--mix', 'transfer=50,vaccine=50'], /unknown workload "vaccine"/],
    ['a repeated workload', ['--mix', 'transfer=50,transfer=50'], /appears twice/],
    ['a bad weight', ['--mix', 'transfer=lots'], /weight of transfer/],
    ['an all-zero mix', ['--mix', 'transfer=0'], /every weight is 0/],
    ['a negative weight of a medical workload', ['--mix', 'claim=-5'], /weight of claim must be a finite non-negative number, got "-5"/],
    ['an exponent weight', ['--mix', 'record=1e3'], /weight of record must be/],
    ['an empty weight', ['--mix', 'record='], /weight of record must be/],
    ['an infinite weight', ['--mix', `claim=${'9'.repeat(400)}`], /weight of claim must be a finite non-negative number, got "9{40}…"/],
    ['a repeated medical workload', ['--mix', 'record=33,claim=33,record=34'], /workload "record" appears twice/],
    ['a plural or capitalised name', ['--mix', 'claims=50,Record=50'], /unknown workload "claims" \(known: transfer, consent, record, claim, reading, upload, case\)/],
    ['a name with a second "="', ['--mix', 'claim=1=2'], /"claim=1=2" is not name=weight/],
    ['an oversized unknown name, cut short in the message', ['--mix', 'x'.repeat(100_000)], /unknown workload "x{40}…" \(known/],
    ['a bad duration', ['--duration', '10 minutes'], /not a duration/],
    ['a non-integer connection count', ['--connections', '2.5'], /--connections: expected an integer/],
    ['--spawn with --url', ['--spawn', '--url', 'ws://x:1'], /conflicts with --spawn/],
    ['--block-ms without --spawn', ['--block-ms', '100'], /only applies with --spawn/],
    ['a non-ws url', ['--url', 'http://127.0.0.1:8546'], /must be a ws:\/\//],
    ['--call and --rpc-method together', ['--call', 'consent.check', '--rpc-method', 'chain_getInfo'], /conflicts with --rpc-method/],
    ['a malformed --call', ['--call', 'consent'], /not contract.method/],
    ['--params that are not an array', ['--rpc-method', 'chain_getBlock', '--params', '{"a":1}'], /JSON array/],
    ['--params that are not JSON', ['--rpc-method', 'chain_getBlock', '--params', '[1,'], /not JSON/],
    ['a fixed rate in call mode', ['--rpc-method', 'chain_getInfo', '--rate', '100'], /only "max" applies/],
    ['--mix in call mode', ['--rpc-method', 'chain_getInfo', '--mix', 'transfer'], /does not apply/],
    ['a value for a boolean flag', ['--spawn=yes'], /takes no value/],
    ['a value for --no-targets', ['--no-targets=1'], /takes no value/],
  ];
  for (const [what, argv, message] of cases) {
    it(`rejects ${what}, naming the flag`, () => {
      const e = parseError(argv);
      expect(e.message).toMatch(message);
      expect(e.message).toContain('usage: npm run bench -- load');
    });
  }
});

describe('workload availability', () => {
  const info = { chainId: 'medchain-dev', height: 1, finalizedHeight: 1, blockGasLimit: 50_000_000, contracts: {} };

  it('refuses a mix whose contract is missing, with the exact reason', () => {
    expect(() => requireWorkloads(['transfer'], info)).not.toThrow();
    expect(() => requireWorkloads(['transfer', 'consent'], info)).toThrow(
      'consent workload needs the consent contract: chain_getInfo().contracts.consent is missing',
    );
    expect(() => requireWorkloads(['claim'], { ...info, contracts: undefined })).toThrow(
      'claim workload needs the claims contract: chain_getInfo().contracts.claims is missing',
    );
  });

  it('refuses a contract call whose contract is missing', async () => {
    await expect(contractCall(undefined as never, info, 'consent', 'check')).rejects.toThrow(
      'consent.check calls need the consent contract: chain_getInfo().contracts.consent is missing',
    );
  });

  it('accepts every workload when the chain has the four medical contracts, and names each one a workload misses', async () => {
    const all = { ...info, contracts: Object.fromEntries(['consent', 'claims', 'registry', 'records', 'supplychain', 'surveillance'].map((c) => [c, '0x' + '11'.repeat(20)])) };
    expect(() => requireWorkloads(['transfer', 'consent', 'record', 'claim', 'reading', 'case'], all)).not.toThrow();
    const without = (c: string) => ({ ...all, contracts: Object.fromEntries(Object.entries(all.contracts).filter(([k]) => k !== c)) });
    expect(() => requireWorkloads(['record'], without('records'))).toThrow('record workload needs the records contract: chain_getInfo().contracts.records is missing');
    expect(() => requireWorkloads(['record'], without('registry'))).toThrow('record workload needs the registry contract');
    expect(() => requireWorkloads(['claim'], without('consent'))).toThrow('claim workload needs the consent contract');
    expect(() => requireWorkloads(['reading'], without('supplychain'))).toThrow('reading workload needs the supplychain contract: chain_getInfo().contracts.supplychain is missing');
    expect(() => requireWorkloads(['reading'], without('registry'))).toThrow('reading workload needs the registry contract');
    expect(() => requireWorkloads(['case'], without('surveillance'))).toThrow('case workload needs the surveillance contract: chain_getInfo().contracts.surveillance is missing');
    expect(() => requireWorkloads(['case'], without('registry'))).toThrow('case workload needs the registry contract');
    expect(() => requireWorkloads(['claim'], { ...all, contracts: { ...all.contracts, claims: '' } })).toThrow('claim workload needs the claims contract');
    await expect(contractCall(undefined as never, all, 'claims', 'getPolicy')).rejects.toThrow(/claims.getPolicy: .* not written yet/);
  });

  it('spreads senders over the mix by weight, every workload at least once', () => {
    const names = assignWorkloads([{ name: 'transfer', weight: 60 }, { name: 'consent', weight: 20 }, { name: 'claim', weight: 20 }], 100);
    expect(names.filter((n) => n === 'transfer')).toHaveLength(60);
    expect(names.filter((n) => n === 'claim')).toHaveLength(20);
    expect(names.slice(0, 5)).toContain('consent'); // interleaved, not in blocks
    expect(new Set(assignWorkloads([{ name: 'transfer', weight: 1000 }, { name: 'claim', weight: 1 }], 10))).toEqual(new Set(['transfer', 'claim']));
    const medical = assignWorkloads([{ name: 'consent', weight: 34 }, { name: 'record', weight: 33 }, { name: 'claim', weight: 33 }], 625);
    expect(['consent', 'record', 'claim'].map((w) => medical.filter((n) => n === w).length)).toEqual([213, 206, 206]);
  });
});
