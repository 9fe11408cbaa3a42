/**
 * What every `medchain demo` shares: the actors' keys and tx builders, numbered steps that
 * send a contract call and print what the chain answered, expected refusals, contract views,
 * and registrations that are skipped when a previous run already made them (so a demo can run
 * again on the same chain).
 */
import { sha256 } from '../../core/crypto/index.js';
import { NodeError } from '../errors.js';
import { devKey, jsonToValue, keyFromSecret, type ClientKey, type MedchainClient, type Receipt, type TxBuilder } from '../../rpc/client/index.js';

/** A day and a year in ms, for the demos' validity periods, expiries and onset days. */
export const DAY_MS = 24 * 3_600_000;
export const YEAR_MS = 365 * DAY_MS;

/** Arguments and results as JSON, converted by the contract's ABI (like the CLI's --args). */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/**
 * The dev account each demo role plays, one role per account across all demos, so the demos
 * can run one after another on the same chain (dev 0 is the dev genesis regulator).
 */
export const DEMO_ACCOUNTS = { regulator: 0, hospital: 1, insurer: 2, doctor: 3, patient: 4, manufacturer: 5, distributor: 6, pharmacy: 7, lab: 8, cdc: 9 } as const;
export type DemoRole = keyof typeof DEMO_ACCOUNTS;

/** The dev keys of `roles`. */
export function demoKeys<R extends DemoRole>(roles: readonly R[]): Record<R, ClientKey> {
  return Object.fromEntries(roles.map((r) => [r, devKey(DEMO_ACCOUNTS[r])])) as Record<R, ClientKey>;
}

/**
 * A demo key beyond the ten dev accounts: its secret is sha256("medchain-demo-" + name), so it
 * is the same on every chain and as public as the dev keys. No fees: it needs no funds.
 */
export function extraDemoKey(name: string): ClientKey {
  return keyFromSecret(sha256(new TextEncoder().encode(`medchain-demo-${name}`)));
}

const RECEIPT_TIMEOUT_MS = 30_000;
/** Arguments longer than this are cut in the printed step: a step stays one readable line. */
const MAX_SHOWN_ARGS = 90;

/** A demo's numbered steps against one node, played by the named actors. */
export interface DemoSteps<Role extends string> {
  contracts: Record<string, string>;
  addr(role: Role): string;
  /** A contract view at the head (`state_call`). */
  view<T = Json>(contract: string, method: string, args: Json[]): Promise<T>;
  /** Sends a call signed by `role` and prints it; a revert counts as a failure. */
  send(role: Role, contract: string, method: string, args: Json[], describe?: (r: Receipt) => string): Promise<Receipt>;
  /** Sends a call the contract must refuse with `code`; anything else counts as a failure. */
  refused(role: Role, contract: string, method: string, args: Json[], code: string): Promise<Receipt>;
  /** Prints a step that a previous run already did. */
  skip(what: string): void;
  /** The regulator registers `role` as an organisation of `kind`, unless it already is one. */
  ensureOrg(regulator: Role, role: Role, kind: string, name: string): Promise<void>;
  /** Steps that did not do what they should. */
  failures(): number;
}

/** Builds the steps for `keys` (role → key); `print` receives one line at a time. */
export async function demoSteps<Role extends string>(
  client: MedchainClient,
  keys: Record<Role, ClientKey>,
  print: (line: string) => void,
  needs: readonly string[],
): Promise<DemoSteps<Role> & { info: Awaited<ReturnType<MedchainClient['getInfo']>> }> {
  const info = await client.getInfo();
  const contracts = info.contracts as Record<string, string>;
  for (const name of needs) {
    if (!contracts[name]) throw new NodeError('NODE_DEMO_CHAIN', `the node has no ${name} contract in its genesis (chain_getInfo().contracts)`, { field: name });
  }
  const tx = new Map<Role, TxBuilder>();
  const builder = (role: Role) => {
    if (!tx.has(role)) tx.set(role, client.txBuilder(keys[role]));
    return tx.get(role)!;
  };
  let n = 0;
  let failures = 0;

  const view = <T = Json>(contract: string, method: string, args: Json[]) => client.call<T>('state_call', { to: contracts[contract], method, args });
  const submit = async (role: Role, contract: string, method: string, args: Json[]): Promise<Receipt> => {
    const shown = args.map((a) => (typeof a === 'string' && a.startsWith('0x') && a.length > 20 ? a.slice(0, 10) + '…' : JSON.stringify(a))).join(', ');
    const r = await builder(role).sendAndWait({ to: contracts[contract], method, args: args.map((a, i) => jsonToValue(a, `args[${i}]`)) }, { timeoutMs: RECEIPT_TIMEOUT_MS });
    print(`${String(++n).padStart(2)}. ${role}: ${contract}.${method}(${shown.length > MAX_SHOWN_ARGS ? shown.slice(0, MAX_SHOWN_ARGS) + '…' : shown})`);
    return r;
  };
  const at = (r: Receipt) => `[block ${r.height}, gas ${r.gasUsed}]`;
  const steps: DemoSteps<Role> = {
    contracts,
    addr: (role) => keys[role].addressHex,
    view,
    send: async (role, contract, method, args, describe = () => 'ok') => {
      const r = await submit(role, contract, method, args);
      if (r.status !== 'ok') failures++;
      print(`      → ${r.status === 'ok' ? describe(r) : `REVERTED: ${r.error}`}   ${at(r)}`);
      return r;
    },
    refused: async (role, contract, method, args, code) => {
      const r = await submit(role, contract, method, args);
      // a receipt's error reads "reverted: <code> (at line:col)"; `recalled` must not pass for `already-recalled`
      const expected = r.status === 'reverted' && (r.error === `reverted: ${code}` || (r.error ?? '').startsWith(`reverted: ${code} `));
      if (!expected) failures++;
      print(`      → ${expected ? `refused as expected: ${code}` : `UNEXPECTED: ${r.status === 'ok' ? 'accepted' : r.error}, expected a revert with ${code}`}   ${at(r)}`);
      return r;
    },
    skip: (what) => print(`${String(++n).padStart(2)}. ${what} — already done on this chain, skipped`),
    ensureOrg: async (regulator, role, kind, name) => {
      const known = await view<{ kind: string } | null>('registry', 'get', [keys[role].addressHex]);
      if (known === null) await steps.send(regulator, 'registry', 'registerOrg', [keys[role].addressHex, kind, name], () => `${role} registered`);
      else if (known.kind === kind) steps.skip(`registry.registerOrg(${role})`);
      else throw new NodeError('NODE_DEMO_CHAIN', `${role} ${keys[role].addressHex} is already registered as a ${known.kind}, not a ${kind}: run the demo on a fresh dev chain`, { field: role });
    },
    failures: () => failures,
  };
  return { ...steps, info };
}

/** A temperature in tenths of a degree Celsius, as people read it. */
export function celsius(tenths: number): string {
  return `${(tenths / 10).toFixed(1)} °C`;
}
