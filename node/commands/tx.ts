import path from 'node:path';
import { parseArgs } from 'node:util';
import { devKey, keyFromSecret, parseArgsJson, ClientError, type BuiltTx, type ClientKey, type MedchainClient, type TxBuilder } from '../../rpc/client/index.js';
import { readKeyFile } from '../keyFile.js';
import { FlagError, intFlag, type Command } from './command.js';
import { DEFAULT_RPC_URL, rpcUrlFlag, withClient } from './query.js';

/** Exit code of `--wait` when the tx was included but reverted (sending worked; the call failed). */
export const EXIT_REVERTED = 3;
/** Default `--timeout` for `--wait`: a dev chain makes blocks every 500 ms. */
const DEFAULT_WAIT_MS = 30_000;
/** Largest `--gas`: the codec's safe-integer range; the node checks it against its block limit. */
const MAX_GAS = Number.MAX_SAFE_INTEGER;
/** Amounts are uint64 (design §4: balances fit in 64 bits). */
const MAX_AMOUNT = 2n ** 64n - 1n;
const ADDRESS_RE = /^0x[0-9a-fA-F]{40}$/;

/** The signing, node and waiting flags every tx-sending command takes. */
export const COMMON_OPTIONS = {
  to: { type: 'string' },
  key: { type: 'string' },
  dev: { type: 'string' },
  rpc: { type: 'string' },
  gas: { type: 'string' },
  wait: { type: 'boolean', default: false },
  timeout: { type: 'string' },
} as const;

/** Usage lines of COMMON_OPTIONS. */
export const COMMON_USAGE = [
  '    --key <file> | --dev <i>  sign with a key file, or with dev account i (0..9)',
  `    --rpc <url>           the node (default ${DEFAULT_RPC_URL})`,
  '    --gas <n>             gas limit (default 1000000)',
  `    --wait                wait for the receipt and print it (exit ${EXIT_REVERTED} if it reverted)`,
  `    --timeout <ms>        how long --wait waits (default ${DEFAULT_WAIT_MS})`,
];

/** Parsed COMMON_OPTIONS. */
export type CommonValues = { [K in keyof typeof COMMON_OPTIONS]?: K extends 'wait' ? boolean : string };

/** The signing key named by `--key <file>` or `--dev <i>` (exactly one). */
function signerFlag(v: CommonValues): ClientKey {
  if ((v.key === undefined) === (v.dev === undefined)) throw new FlagError('give exactly one of --key <file> or --dev <i>', '--key');
  if (v.dev !== undefined) return devKey(intFlag(v.dev, '--dev', 0, 0, 9));
  return keyFromSecret(readKeyFile(path.resolve(v.key as string)).secretKey);
}

function toFlag(v: string | undefined): string {
  if (v === undefined) throw new FlagError('--to <0x address> is required', '--to');
  if (!ADDRESS_RE.test(v)) throw new FlagError('--to must be a 20-byte address: 0x + 40 hex digits', '--to');
  return v.toLowerCase();
}

function amountFlag(v: string | undefined): number | bigint {
  if (v === undefined) throw new FlagError('--amount <n> is required', '--amount');
  if (!/^(0|[1-9][0-9]{0,19})$/.test(v) || BigInt(v) > MAX_AMOUNT) throw new FlagError('--amount must be an integer in 0..2^64-1', '--amount');
  const n = BigInt(v);
  return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

/** Sends what `build` makes; prints the hash, or with --wait the receipt. */
export async function sendTx(v: CommonValues, build: (b: TxBuilder) => Promise<BuiltTx>): Promise<number> {
  const key = signerFlag(v);
  const url = rpcUrlFlag(v.rpc);
  const gasLimit = v.gas === undefined ? undefined : intFlag(v.gas, '--gas', 0, 1, MAX_GAS);
  const timeoutMs = intFlag(v.timeout, '--timeout', DEFAULT_WAIT_MS, 1, 3_600_000);
  return withClient(url, async (client: MedchainClient) => {
    const builder = client.txBuilder(key, gasLimit === undefined ? {} : { gasLimit });
    const built = await build(builder);
    if (!v.wait) {
      console.log(await builder.send(built));
      return 0;
    }
    const receipt = await builder.sendAndWait(built, { timeoutMs });
    console.log(JSON.stringify(receipt, null, 2));
    return receipt.status === 'ok' ? 0 : EXIT_REVERTED;
  });
}

function parse(argv: string[], extra: Record<string, { type: 'string' }>) {
  return parseArgs({ args: argv, options: { ...COMMON_OPTIONS, ...extra }, strict: true, allowPositionals: false }).values as CommonValues &
    Record<string, string | undefined>;
}

const SUBCOMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  transfer: (argv) => {
    const v = parse(argv, { amount: { type: 'string' } });
    const to = toFlag(v.to);
    const amount = amountFlag(v.amount);
    return sendTx(v, (b) => b.transfer(to, amount));
  },
  call: (argv) => {
    const v = parse(argv, { method: { type: 'string' }, args: { type: 'string' } });
    const to = toFlag(v.to);
    if (!v.method) throw new FlagError('--method <name> is required', '--method');
    let args;
    try {
      args = parseArgsJson(v.args ?? '[]');
    } catch (e) {
      throw new FlagError(`--args: ${(e as ClientError).message}`, '--args');
    }
    const method = v.method;
    return sendTx(v, (b) => b.call(to, method, args));
  },
};

/** `medchain tx transfer|call`: build, sign and send a transaction (optionally wait for it). */
export const txCommand: Command = {
  name: 'tx',
  usage: [
    'tx transfer           send a native transfer; prints the tx hash',
    '    --to <0x…> --amount <n>',
    'tx call               call a contract method; prints the tx hash',
    "    --to <0x…> --method <name> [--args '<json array>']  (0x-hex strings are bytes;",
    '                          {"$bigint":"…"} a big integer; {"$string":"0x…"} a literal string)',
    ...COMMON_USAGE,
  ],
  run: (argv) => {
    const [sub, ...rest] = argv;
    const run = sub !== undefined && Object.hasOwn(SUBCOMMANDS, sub) ? SUBCOMMANDS[sub] : undefined;
    if (!run) throw new FlagError(`usage: medchain tx transfer|call [options]${sub ? ` (unknown subcommand "${sub}")` : ''}`, 'tx');
    return run(rest);
  },
};
