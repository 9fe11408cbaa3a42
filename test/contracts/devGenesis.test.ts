/**
 * The medical contracts in the dev genesis: genesis/dev.json equals a fresh build from
 * genesis/contracts/*.mc (sources and committed bytecode never drift), each contract sits
 * at its fixed address with the code of the file, the contracts hard-code each other's
 * fixed addresses, and the genesis regulators are in the registry's storage.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { decode, encode, fromHex, toHex } from '../../core/encoding/index.js';
import { contractMap, genesisContractAddress } from '../../core/genesis/index.js';
import { compile } from '../../vm/index.js';
import { devGenesisText, GENESIS_CONTRACT_NAMES } from '../../genesis/buildDevGenesis.js';
import { MEDICAL_CONTRACTS } from '../../genesis/medicalContracts.js';
import { TempDirs } from '../fixtures/chainFixtures.js';
import { runCli } from '../fixtures/nodeProcess.js';
import { dev, devSpec, MedChain } from './harness.js';

const file = (rel: string) => fileURLToPath(new URL(`../../${rel}`, import.meta.url));
const dirs = new TempDirs();
let c: MedChain;

beforeAll(async () => {
  c = await MedChain.open(dirs);
});
afterAll(async () => {
  await c?.close();
  dirs.cleanup();
});

describe('dev genesis contracts', () => {
  it('genesis/dev.json is exactly what node dist/genesis/buildDevGenesis.js writes from the sources', () => {
    expect(readFileSync(file('genesis/dev.json'), 'utf8')).toBe(devGenesisText());
  });

  it('deploys registry, consent, records and claims at sha256("medchain/genesis-contract/" + name)[0:20]', () => {
    const spec = devSpec();
    expect(spec.contracts!.map((x) => x.name)).toEqual([...GENESIS_CONTRACT_NAMES]);
    for (const x of spec.contracts!) {
      const want = createHash('sha256').update(`medchain/genesis-contract/${x.name}`).digest().subarray(0, 20);
      expect(toHex(x.address), x.name).toBe(toHex(want));
      expect(toHex(genesisContractAddress(x.name))).toBe(toHex(want));
      expect(toHex(c.chain.stateAt().getCode(x.address)!), x.name).toBe(toHex(x.code));
      expect(toHex(x.code)).toBe(toHex(compile(readFileSync(file(`genesis/contracts/${x.name}.mc`), 'utf8')).code));
    }
    expect(contractMap(spec.contracts!)).toEqual({
      registry: '0xa7a20683000fbc500f5a8ad4a220b7536dfd66db',
      consent: '0xa230fca2b36d7e6d2ddda5379849d9d5d7e0b205',
      records: '0xbc43feaf51c6e093ba75da0aefb6bd546226e54c',
      claims: '0x3af7c60c63af06996802ee7d30fe9af6daa9a9cd',
      validators: '0x1194cbae36b2e57d605c52f3a2bdbcc2663b5aa5',
      supplychain: '0x6d931bea99265fbf5329b7836b98763c0644479b',
      surveillance: '0xa5e41bea8d37baca2c59bec5532a512b35d0e151',
    });
  });

  it("every address constant in the sources is the named contract's fixed address", () => {
    for (const name of GENESIS_CONTRACT_NAMES) {
      const src = readFileSync(file(`genesis/contracts/${name}.mc`), 'utf8');
      for (const m of src.matchAll(/const ([A-Z]+): address = (0x[0-9a-f]{40})/g)) {
        expect(m[2], `${name}: ${m[1]}`).toBe(toHex(genesisContractAddress(m[1].toLowerCase())));
      }
    }
  });

  it("writes the genesis regulators into the registry's regulators slot", () => {
    const registry = genesisContractAddress('registry');
    const slot = (a: string) => c.chain.stateAt().getStorage(registry, encode(['regulators', fromHex(a)]));
    expect(decode(slot(dev(0))!)).toBe(true);
    expect(slot(dev(1))).toBeUndefined();
  });

  it("writes the genesis validator set into the validators contract's epochs slot as the epoch from height 0", () => {
    const raw = c.chain.stateAt().getStorage(genesisContractAddress('validators'), encode(['epochs']));
    expect(decode(raw!)).toEqual([{ from: 0, members: [{ addr: fromHex(dev(0)), power: 1, publicKey: devSpec().validators[0].publicKey }] }]);
    expect(c.view('validators', 'current', [])).toEqual([{ addr: dev(0), power: 1, publicKey: toHex(devSpec().validators[0].publicKey) }]);
  });

  it('exports the API the issue names', () => {
    const fns = (name: (typeof GENESIS_CONTRACT_NAMES)[number]) => {
      const abi = JSON.parse(JSON.stringify(compile(readFileSync(file(`genesis/contracts/${name}.mc`), 'utf8')).abi)) as { functions: Array<{ name: string; view: boolean; params: Array<{ type: string }>; returns: string | null }> };
      return Object.fromEntries(abi.functions.map((f) => [f.name, `${f.view ? 'view ' : ''}(${f.params.map((p) => p.type).join(',')})${f.returns ? ' -> ' + f.returns : ''}`]));
    };
    expect(fns('registry')).toMatchObject({
      registerOrg: '(address,string,string)',
      registerPractitioner: '(address,string,string,int)',
      suspend: '(address)',
      get: 'view (address) -> Subject?',
    });
    expect(fns('consent')).toMatchObject({
      grant: '(address,list<string>,list<string>,int,int) -> int',
      revoke: '(int)',
      check: 'view (address,address,string,string) -> bool',
      logAccess: '(address,bytes,string,bool)',
    });
    expect(fns('records')).toMatchObject({ anchor: '(address,bytes,string,string)', get: 'view (bytes) -> Anchor?' });
    expect(fns('claims')).toMatchObject({
      createPolicy: '(string,address,Rules)',
      deposit: '(int)',
      submitClaim: '(string,string,list<(string,int,int)>,bytes)',
      getClaim: 'view (string) -> Claim?',
      getPolicy: 'view (string) -> Policy?',
      escrowOf: 'view (address) -> int',
    });
    expect(fns('validators')).toMatchObject({
      proposeAdd: '(address,bytes,int,bytes) -> int',
      proposeRemove: '(address) -> int',
      approve: '(int)',
      withdraw: '(int)',
      current: 'view () -> list<Member>',
      at: 'view (int) -> list<Member>',
      openProposals: 'view () -> list<OpenProposal>',
    });
    expect(fns('supplychain')).toMatchObject({
      registerBatch: '(bytes,string,bytes,int,int,int,int)',
      ship: '(bytes,address) -> int',
      receive: '(bytes)',
      cancel: '(bytes)',
      recordReading: '(bytes,int,string)',
      release: '(bytes)',
      recall: '(bytes,string)',
      dispense: '(bytes,int)',
      get: 'view (bytes) -> BatchView?',
      hop: 'view (bytes,int) -> Hop?',
      hopCount: 'view (bytes) -> int',
      history: 'view (bytes) -> list<Hop>',
      isUsable: 'view (bytes) -> bool',
    });
    expect(fns('surveillance')).toMatchObject({
      report: '(bytes,string,string,int)',
      confirm: '(bytes)',
      discard: '(bytes,string)',
      case: 'view (bytes) -> CaseView?',
      confirmedBy: 'view (bytes,address) -> bool',
      stats: 'view (string,string) -> Stats',
      totals: 'view (string) -> Stats',
    });
  });

  it('medchain init writes the same contracts into a new chain\'s genesis', async () => {
    expect(MEDICAL_CONTRACTS).toEqual(JSON.parse(readFileSync(file('genesis/dev.json'), 'utf8')).contracts);
    const out = dirs.make('medchain-init-');
    const { code } = await runCli(['init', '--chain-id', 'hospital-net', '--out', out]);
    expect(code).toBe(0);
    const genesis = JSON.parse(readFileSync(`${out}/genesis.json`, 'utf8')) as { contracts: unknown; regulators: string[] };
    expect(genesis.contracts).toEqual(MEDICAL_CONTRACTS);
  });
});
