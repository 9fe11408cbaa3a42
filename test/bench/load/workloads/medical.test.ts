/**
 * The record and claim workloads against a real dev node (the compiled CLI): their setup
 * registers, grants and funds what the plan says, and the load txs their factories build —
 * signed as the signer threads sign them — are final and successful: anchors stored, claims
 * adjudicated and paid from escrow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSenders, devSenders, setupSubmitter } from '../../../../bench/load/accounts.js';
import { LoadError } from '../../../../bench/load/errors.js';
import { RpcConnection } from '../../../../bench/load/rpcConnection.js';
import { CASE_DISEASES, CASE_REGIONS, CLAIM_AMOUNT, claimPolicyId, FACTORIES, READING_MAX_TENTHS, READING_MIN_TENTHS, READING_SENSOR, RECORD_CATEGORY, UPLOAD_READINGS, type CaseParams, type ClaimParams, type ReadingParams, type RecordParams } from '../../../../bench/load/workloads/factories.js';
import { devRegulator } from '../../../../bench/load/workloads/medicalSetup.js';
import { WORKLOADS, type ChainInfo, type FactoryParams, type Sender, type SetupContext, type WorkloadName } from '../../../../bench/load/workloads/index.js';
import { toHex } from '../../../../core/encoding/index.js';
import { TempDirs } from '../../../fixtures/chainFixtures.js';
import { startNode, type NodeProcess } from '../../../fixtures/nodeProcess.js';

const dirs = new TempDirs();
let node: NodeProcess;
let rpc: RpcConnection;
let info: ChainInfo;

beforeAll(async () => {
  node = await startNode(['dev', '--data-dir', dirs.make(), '--rpc-port', '0', '--block-ms', '50']);
  rpc = await RpcConnection.open(node.url, { rate: 500 });
  info = await rpc.call<ChainInfo>('chain_getInfo');
}, 30_000);
afterAll(async () => {
  await rpc?.close();
  await node?.stop();
  dirs.cleanup();
});

function context(senders: Sender[], logs: string[] = []): SetupContext {
  return {
    rpc,
    info,
    senders,
    submit: setupSubmitter(rpc, info.chainId),
    devSenders: () => devSenders(rpc),
    newAccounts: createSenders,
    log: (m) => logs.push(m),
  };
}

interface Receipt {
  status: string;
  error?: string;
  events: Array<{ event: string; data: Record<string, unknown> }>;
}

/** Signs and sends the first `perSender` load txs of every sender (as the signer threads would) and returns their final receipts. */
async function runLoadTxs(name: WorkloadName, params: FactoryParams, senders: Sender[], perSender: number): Promise<Receipt[]> {
  const hashes: string[] = [];
  for (let k = 0; k < perSender; k++) {
    for (const [index, s] of senders.entries()) {
      const body = FACTORIES[name](structuredClone(params), { index, groupSize: senders.length }, k);
      const signed = s.signer.sign({ chainId: info.chainId, nonce: s.nextNonce + k, sender: s.signer.publicKey, ...body });
      hashes.push(await rpc.call<string>('tx_send', ['0x' + signed.bytes.toString('hex')]));
    }
  }
  return Promise.all(hashes.map((h) => rpc.call<Receipt>('tx_wait', [h, 30_000])));
}

const view = (contract: string, method: string, args: unknown[]) => rpc.call<unknown>('state_call', [info.contracts![contract], method, args]);

describe('record workload on a dev node', () => {
  it('registers every sender as a practitioner its patient consented to; its anchors succeed and are stored', { timeout: 60_000 }, async () => {
    // 60 senders: two hospitals (48 practitioners each at most) register them.
    const senders = createSenders(60);
    const logs: string[] = [];
    const params = (await WORKLOADS.record.setup(context(senders, logs))) as RecordParams;
    expect(logs.join('\n')).toMatch(/records\.anchor uses \d+ gas: load txs carry gasLimit \d+/);
    expect(logs.join('\n')).toMatch(/2 hospitals registered 60 practitioners/);
    expect(params.patients).toHaveLength(60);
    for (const i of [0, 47, 48, 59]) {
      expect(await view('registry', 'practitionerOrg', [senders[i].address])).toMatch(/^0x[0-9a-f]{40}$/);
      expect(await view('consent', 'check', [toHex(params.patients[i]), senders[i].address, RECORD_CATEGORY, 'TREAT'])).toBe(true);
      // the consent is the practitioner's own patient's, not any patient's
      expect(await view('consent', 'check', [toHex(params.patients[(i + 1) % 60]), senders[i].address, RECORD_CATEGORY, 'TREAT'])).toBe(false);
    }
    expect(await view('registry', 'practitionerOrg', [senders[0].address])).not.toBe(await view('registry', 'practitionerOrg', [senders[59].address]));

    const receipts = await runLoadTxs('record', params, senders, 2);
    expect(receipts.map((r) => r.status)).toEqual(Array(120).fill('ok'));
    expect(receipts.every((r) => r.events.some((e) => e.event === 'Anchored'))).toBe(true);
    const h = FACTORIES.record(params, { index: 59, groupSize: 60 }, 1).args[1] as Uint8Array;
    expect(await view('records', 'get', [toHex(h)])).toMatchObject({ patient: toHex(params.patients[59]), author: senders[59].address, category: RECORD_CATEGORY });
  });
});

describe('reading workload on a dev node', () => {
  it('registers every sender as a manufacturer holding its own batch; its readings are counted and none quarantines', { timeout: 60_000 }, async () => {
    // 60 senders: more manufacturers than one regulator wave, so regional regulators register them.
    const senders = createSenders(60);
    const logs: string[] = [];
    const params = (await WORKLOADS.reading.setup(context(senders, logs))) as ReadingParams;
    expect(logs.join('\n')).toMatch(/supplychain\.recordReading uses \d+ gas: load txs carry gasLimit \d+/);
    expect(logs.join('\n')).toMatch(/reading: 60 manufacturers each registered a batch/);
    expect(params.batches).toHaveLength(60);
    for (const i of [0, 47, 48, 59]) {
      expect(await view('registry', 'activeKind', [senders[i].address])).toBe('manufacturer');
      expect(await view('supplychain', 'get', [toHex(params.batches[i])])).toMatchObject({ holder: senders[i].address, status: 'active', minTenthsC: READING_MIN_TENTHS, maxTenthsC: READING_MAX_TENTHS });
    }

    const receipts = await runLoadTxs('reading', params, senders, 3);
    expect(receipts.map((r) => r.status)).toEqual(Array(180).fill('ok'));
    expect(receipts.every((r) => r.events.length === 1 && r.events[0].event === 'ReadingRecorded' && r.events[0].data.sensorId === READING_SENSOR)).toBe(true);
    expect(await view('supplychain', 'get', [toHex(params.batches[59])])).toMatchObject({ readings: 3, excursions: 0, minSeen: READING_MIN_TENTHS, maxSeen: READING_MIN_TENTHS + 2, status: 'active' });
    expect(await view('supplychain', 'get', [toHex(params.batches[0])])).toMatchObject({ readings: 4, excursions: 0 });
  });
});

describe('upload workload on a dev node', () => {
  it('each sender uploads UPLOAD_READINGS readings of its own batch per tx; all are counted and none quarantines', { timeout: 60_000 }, async () => {
    const senders = createSenders(8);
    const logs: string[] = [];
    const params = (await WORKLOADS.upload.setup(context(senders, logs))) as ReadingParams;
    expect(logs.join('\n')).toMatch(/supplychain\.recordReadings uses \d+ gas: load txs carry gasLimit \d+/);
    expect(logs.join('\n')).toMatch(/upload: 8 manufacturers each registered a batch/);
    const receipts = await runLoadTxs('upload', params, senders, 2);
    expect(receipts.map((r) => r.status)).toEqual(Array(16).fill('ok'));
    expect(receipts.every((r) => r.events.length === UPLOAD_READINGS && r.events.every((e) => e.event === 'ReadingRecorded'))).toBe(true);
    // the probe's upload on batch 0, then two per sender
    expect(await view('supplychain', 'get', [toHex(params.batches[7])])).toMatchObject({ readings: 2 * UPLOAD_READINGS, excursions: 0, status: 'active' });
    expect(await view('supplychain', 'get', [toHex(params.batches[0])])).toMatchObject({ readings: 3 * UPLOAD_READINGS, excursions: 0 });
  });
});

describe('case workload on a dev node', () => {
  it('registers every sender as a practitioner; its case reports succeed and are counted in the shared statistics', { timeout: 60_000 }, async () => {
    // 60 senders: two hospitals (48 practitioners each at most) register them.
    const senders = createSenders(60);
    const logs: string[] = [];
    const total = async () => {
      let n = 0;
      for (const d of CASE_DISEASES) n += ((await view('surveillance', 'totals', [d])) as { reported: number }).reported;
      return n;
    };
    const params = (await WORKLOADS.case.setup(context(senders, logs))) as CaseParams;
    expect(logs.join('\n')).toMatch(/surveillance\.report uses \d+ gas: load txs carry gasLimit \d+/);
    expect(logs.join('\n')).toMatch(/case: 2 hospitals registered 60 practitioners/);
    for (const i of [0, 47, 48, 59]) expect(await view('registry', 'practitionerOrg', [senders[i].address])).toMatch(/^0x[0-9a-f]{40}$/);
    expect(await view('registry', 'practitionerOrg', [senders[0].address])).not.toBe(await view('registry', 'practitionerOrg', [senders[59].address]));

    const before = await total();
    const receipts = await runLoadTxs('case', params, senders, 2);
    expect(receipts.map((r) => r.status)).toEqual(Array(120).fill('ok'));
    expect(receipts.every((r) => r.events.length === 1 && r.events[0].event === 'Reported')).toBe(true);
    expect(await total()).toBe(before + 120);
    const tx = FACTORIES.case(params, { index: 59, groupSize: 60 }, 1);
    const [id, disease, region] = tx.args as [Uint8Array, string, string];
    expect(await view('surveillance', 'case', [toHex(id)])).toMatchObject({ status: 'reported', disease, region, onset: params.onset, org: await view('registry', 'practitionerOrg', [senders[59].address]) });
    expect(CASE_REGIONS).toContain(region);
  });
});

describe('claim workload on a dev node', () => {
  it('sets up providers, insurers, policies, escrow and payment consent; every load claim is paid', { timeout: 60_000 }, async () => {
    // 60 providers + 2 insurers: more organisations than one regulator wave, so regional regulators register them.
    const senders = createSenders(60);
    const logs: string[] = [];
    const params = (await WORKLOADS.claim.setup(context(senders, logs))) as ClaimParams;
    expect(logs.join('\n')).toMatch(/claim: 60 providers, 2 insurers with 60 policies .* the probe claim was paid 80/);
    for (const i of [0, 46, 47, 59]) {
      expect(await view('registry', 'activeKind', [senders[i].address])).toBe('hospital');
      const policy = (await view('claims', 'getPolicy', [claimPolicyId(params.runId, i)])) as { insurer: string; patient: string };
      expect(await view('registry', 'activeKind', [policy.insurer])).toBe('insurer');
      expect(await view('consent', 'check', [policy.patient, policy.insurer, 'claims', 'HPAYMT'])).toBe(true);
    }
    const insurer = ((await view('claims', 'getPolicy', [claimPolicyId(params.runId, 59)])) as { insurer: string }).insurer;
    const escrowBefore = (await view('claims', 'escrowOf', [insurer])) as number;
    expect(escrowBefore).toBe(13 * 100_000_000); // providers 47..59 hold its policies

    const before = await rpc.call<{ balance: string | number }>('state_getAccount', [senders[59].address]);
    const receipts = await runLoadTxs('claim', params, senders, 3);
    expect(receipts.map((r) => r.status)).toEqual(Array(180).fill('ok'));
    const outcomes = receipts.map((r) => r.events.find((e) => e.event === 'ClaimAdjudicated')?.data);
    expect(outcomes.every((d) => d?.status === 'paid' && d.paid === (CLAIM_AMOUNT * 8) / 10)).toBe(true);
    const after = await rpc.call<{ balance: string | number }>('state_getAccount', [senders[59].address]);
    expect(BigInt(after.balance) - BigInt(before.balance)).toBe(3n * 80n);
    expect(await view('claims', 'escrowOf', [insurer])).toBe(escrowBefore - 13 * 3 * 80);
  });

  it('a second run on the same chain gets its own policy and claim ids, so its claims are no duplicates', { timeout: 60_000 }, async () => {
    const senders = createSenders(4);
    const params = (await WORKLOADS.claim.setup(context(senders))) as ClaimParams;
    const receipts = await runLoadTxs('claim', params, senders, 2);
    expect(receipts.map((r) => r.events.find((e) => e.event === 'ClaimAdjudicated')?.data.status)).toEqual(Array(8).fill('paid'));
  });

  it('refuses a chain whose registry lists no dev account as a regulator', async () => {
    const ctx = context([]);
    const fake = { ...ctx, rpc: { call: async () => false } as unknown as RpcConnection };
    const e = await devRegulator(fake).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LoadError);
    expect((e as LoadError).code).toBe('LOAD_WORKLOAD_UNAVAILABLE');
    expect((e as LoadError).message).toMatch(/no dev account is a regulator in the registry at 0x[0-9a-f]{40}/);
  });
});
