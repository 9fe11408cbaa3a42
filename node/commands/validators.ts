/**
 * `medchain validators list|proposals|add|remove|approve|withdraw`: the operator side of
 * the validators governance contract (genesis/contracts/validators.mc). The tx-sending
 * subcommands sign with `--key <file>` (a current validator's key) like `medchain tx`, and
 * fill in what the contract needs to check a new key (its address and the tail of its hash).
 */
import { parseArgs } from 'node:util';
import { addressOf, sha256 } from '../../core/crypto/index.js';
import { fromHex, HexError, toHex } from '../../core/encoding/index.js';
import { genesisContractAddress, VALIDATORS_CONTRACT } from '../../core/genesis/index.js';
import { FlagError, intFlag, type Command } from './command.js';
import { rpcUrlFlag, withClient } from './query.js';
import { COMMON_OPTIONS, COMMON_USAGE, sendTx, type CommonValues } from './tx.js';

/** The governance contract's fixed address. */
const CONTRACT = toHex(genesisContractAddress(VALIDATORS_CONTRACT));
/** Largest power the contract accepts. */
const MAX_POWER = 1_000_000;
/** Proposal ids are positive ints (the contract numbers them from 1). */
const MAX_ID = Number.MAX_SAFE_INTEGER;

function hexFlag(v: string | undefined, flag: string, length: number, what: string): Uint8Array {
  if (v === undefined) throw new FlagError(`${flag} <${what}> is required`, flag);
  try {
    return fromHex(v, length);
  } catch (e) {
    if (e instanceof HexError) throw new FlagError(`${flag} must be ${what}: 0x + ${2 * length} hex digits`, flag);
    throw e;
  }
}

function parse(argv: string[], extra: Record<string, { type: 'string' }>) {
  return parseArgs({ args: argv, options: { ...COMMON_OPTIONS, ...extra }, strict: true, allowPositionals: false }).values as CommonValues &
    Record<string, string | undefined>;
}

/** Calls a view of the contract and prints its JSON result. */
function view(argv: string[], method: string, args: unknown[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { rpc: { type: 'string' } }, strict: true });
  return withClient(rpcUrlFlag(values.rpc), async (client) => {
    console.log(JSON.stringify(await client.call('state_call', { to: CONTRACT, method, args }), null, 2));
    return 0;
  });
}

const SUBCOMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  list: (argv) => {
    const { values } = parseArgs({ args: argv, options: { rpc: { type: 'string' }, height: { type: 'string' } }, strict: true });
    const height = values.height === undefined ? undefined : intFlag(values.height, '--height', 0, 0, Number.MAX_SAFE_INTEGER);
    return withClient(rpcUrlFlag(values.rpc), async (client) => {
      const set = await client.getValidators(height);
      const schedule = await client.call('state_call', { to: CONTRACT, method: 'schedule', args: [] });
      console.log(JSON.stringify({ validators: set, schedule }, null, 2));
      return 0;
    });
  },
  proposals: (argv) => view(argv, 'openProposals', []),
  add: (argv) => {
    const v = parse(argv, { 'public-key': { type: 'string' }, power: { type: 'string' } });
    const publicKey = hexFlag(v['public-key'], '--public-key', 32, 'the new validator\'s Ed25519 public key');
    const power = intFlag(v.power, '--power', 1, 1, MAX_POWER);
    const tail = sha256(publicKey).slice(20);
    return sendTx(v, (b) => b.call(CONTRACT, 'proposeAdd', [addressOf(publicKey), publicKey, power, tail]));
  },
  remove: (argv) => {
    const v = parse(argv, { address: { type: 'string' } });
    const address = hexFlag(v.address, '--address', 20, 'the validator\'s address');
    return sendTx(v, (b) => b.call(CONTRACT, 'proposeRemove', [address]));
  },
  approve: (argv) => {
    const v = parse(argv, { id: { type: 'string' } });
    if (v.id === undefined) throw new FlagError('--id <proposal id> is required', '--id');
    const id = intFlag(v.id, '--id', 0, 1, MAX_ID);
    return sendTx(v, (b) => b.call(CONTRACT, 'approve', [id]));
  },
  withdraw: (argv) => {
    const v = parse(argv, { id: { type: 'string' } });
    if (v.id === undefined) throw new FlagError('--id <proposal id> is required', '--id');
    const id = intFlag(v.id, '--id', 0, 1, MAX_ID);
    return sendTx(v, (b) => b.call(CONTRACT, 'withdraw', [id]));
  },
};

/** `medchain validators …`: list the set, propose and approve changes through governance. */
export const validatorsCommand: Command = {
  name: 'validators',
  usage: [
    'validators list       the set of the next block (or --height h) and the scheduled changes',
    'validators proposals  open governance proposals (id, kind, member, approvals)',
    'validators add        propose a new validator: --public-key <0x…32 bytes> [--power n]',
    'validators remove     propose removing one: --address <0x…>',
    'validators approve    approve proposal --id n; past 2/3 of the power it takes effect 2 heights later',
    'validators withdraw   withdraw your own proposal --id n',
    ...COMMON_USAGE,
  ],
  run: (argv) => {
    const [sub, ...rest] = argv;
    const run = sub !== undefined && Object.hasOwn(SUBCOMMANDS, sub) ? SUBCOMMANDS[sub] : undefined;
    if (!run) throw new FlagError(`usage: medchain validators list|proposals|add|remove|approve|withdraw [options]${sub ? ` (unknown subcommand "${sub}")` : ''}`, 'validators');
    return run(rest);
  },
};
