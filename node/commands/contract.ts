/**
 * `medchain contract compile|disasm|deploy`: the off-chain side of contracts. Compiling is
 * not consensus-critical (the node verifies the bytecode at deploy); a compiled contract is
 * a JSON file `{ "code": "0x…", "abi": {…} }`, and the container carries its ABI, so a
 * deploy tx takes the code alone (design §4).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fromHex, toHex } from '../../core/encoding/index.js';
import { contractAddress, DEPLOY_BASE_GAS, DEPLOY_GAS_PER_BYTE, intrinsicGas } from '../../core/execution/index.js';
import { devKey, keyFromSecret, type ClientKey } from '../../rpc/client/index.js';
import { abiOf, compile, CompileError, disassemble, load, VerifyError, type Abi } from '../../vm/index.js';
import { readKeyFile } from '../keyFile.js';
import { FlagError, intFlag, type Command } from './command.js';
import { DEFAULT_RPC_URL, rpcUrlFlag, withClient } from './query.js';

/** Exit code for a source that does not compile or code that does not verify. */
export const EXIT_BAD_CONTRACT = 2;
/** Exit code of `deploy --wait` when the deploy was included but reverted. */
const EXIT_REVERTED = 3;
/** Room for the tx envelope around the code when estimating a deploy's gas. */
const TX_OVERHEAD_BYTES = 256;
/** Gas above the estimate: the estimate is exact today, the margin keeps old CLIs working if costs move. */
const GAS_MARGIN = 1.2;
const DEFAULT_WAIT_MS = 30_000;

/** A contract file: source (`.mc`), compiled JSON (`{code, abi}`) or bare 0x-hex code. */
function loadContract(file: string): { code: Uint8Array; abi: Abi } {
  let text: string;
  try {
    text = readFileSync(path.resolve(file), 'utf8');
  } catch (e) {
    throw new FlagError(`cannot read ${file}: ${(e as Error).message}`, 'file');
  }
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let json: { code?: unknown };
    try {
      json = JSON.parse(trimmed) as { code?: unknown };
    } catch (e) {
      throw new FlagError(`${file}: not valid JSON: ${(e as Error).message}`, 'file');
    }
    if (typeof json.code !== 'string') throw new FlagError(`${file}: a compiled contract has a "code" hex string`, 'file');
    const code = fromHex(json.code);
    return { code, abi: abiOf(load(code)) };
  }
  if (/^0x[0-9a-fA-F]*$/.test(trimmed)) {
    const code = fromHex(trimmed);
    return { code, abi: abiOf(load(code)) };
  }
  return compile(text);
}

/** Runs `f`, turning compile and verify errors into a message and EXIT_BAD_CONTRACT. */
function contractErrors(file: string, f: () => number | Promise<number>): number | Promise<number> {
  try {
    return f();
  } catch (e) {
    if (e instanceof CompileError || e instanceof VerifyError) {
      console.error(`${file}:${e.message}`);
      return EXIT_BAD_CONTRACT;
    }
    throw e;
  }
}

function fileArg(positionals: string[], usage: string): string {
  if (positionals.length !== 1) throw new FlagError(`usage: medchain contract ${usage}`, 'file');
  return positionals[0];
}

function signer(v: { key?: string; dev?: string }): ClientKey {
  if ((v.key === undefined) === (v.dev === undefined)) throw new FlagError('give exactly one of --key <file> or --dev <i>', '--key');
  if (v.dev !== undefined) return devKey(intFlag(v.dev, '--dev', 0, 0, 9));
  return keyFromSecret(readKeyFile(path.resolve(v.key as string)).secretKey);
}

const SUBCOMMANDS: Record<string, (argv: string[]) => number | Promise<number>> = {
  compile: (argv) => {
    const { values, positionals } = parseArgs({ args: argv, options: { out: { type: 'string' } }, allowPositionals: true, strict: true });
    const file = fileArg(positionals, 'compile <file.mc> [--out file.json]');
    return contractErrors(file, () => {
      const { code, abi } = compile(readFileSync(path.resolve(file), 'utf8'));
      const json = JSON.stringify({ code: toHex(code), abi }, null, 2) + '\n';
      if (values.out) {
        writeFileSync(path.resolve(values.out), json);
        console.log(`wrote ${values.out}: ${abi.contract}, ${code.length} bytes of code, ${abi.functions.length} functions`);
      } else process.stdout.write(json);
      return 0;
    });
  },
  disasm: (argv) => {
    const { positionals } = parseArgs({ args: argv, options: {}, allowPositionals: true, strict: true });
    const file = fileArg(positionals, 'disasm <file.mc | compiled.json | code.hex>');
    return contractErrors(file, () => {
      console.log(disassemble(loadContract(file).code));
      return 0;
    });
  },
  deploy: (argv) => {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { key: { type: 'string' }, dev: { type: 'string' }, rpc: { type: 'string' }, gas: { type: 'string' }, wait: { type: 'boolean', default: false }, timeout: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    const file = fileArg(positionals, 'deploy <file> --key <keyfile> [--rpc ws://…]');
    return contractErrors(file, () => {
      const { code, abi } = loadContract(file);
      const key = signer(values);
      const url = rpcUrlFlag(values.rpc);
      const estimate = Math.ceil(GAS_MARGIN * (DEPLOY_BASE_GAS + DEPLOY_GAS_PER_BYTE * code.length + intrinsicGas(code.length + TX_OVERHEAD_BYTES)));
      const gasLimit = values.gas === undefined ? estimate : intFlag(values.gas, '--gas', 0, 1, Number.MAX_SAFE_INTEGER);
      const timeoutMs = intFlag(values.timeout, '--timeout', DEFAULT_WAIT_MS, 1, 3_600_000);
      return withClient(url, async (client) => {
        const builder = client.txBuilder(key, { gasLimit });
        const built = await builder.deploy(code);
        // design §4: the first 20 bytes of sha256(senderAddress || encode(nonce))
        const info = { contract: abi.contract, address: toHex(contractAddress(key.address, built.tx.nonce)), tx: built.hash, nonce: built.tx.nonce, gasLimit };
        if (!values.wait) {
          await builder.send(built);
          console.log(JSON.stringify(info, null, 2));
          return 0;
        }
        const receipt = await builder.sendAndWait(built, { timeoutMs });
        console.log(JSON.stringify({ ...info, receipt }, null, 2));
        return receipt.status === 'ok' ? 0 : EXIT_REVERTED;
      });
    });
  },
};

/** `medchain contract compile|disasm|deploy`. */
export const contractCommand: Command = {
  name: 'contract',
  usage: [
    'contract compile <file.mc> [--out f.json]   compile a rule contract: code hex + ABI JSON',
    'contract disasm <file>                      disassemble (.mc source, compiled .json or 0x-hex code)',
    'contract deploy <file> --key <keyfile>      deploy it; prints the contract address and tx hash',
    `    [--dev <i>] [--rpc <url> (default ${DEFAULT_RPC_URL})] [--gas <n>] [--wait [--timeout <ms>]]`,
  ],
  run: (argv) => {
    const [sub, ...rest] = argv;
    const run = sub !== undefined && Object.hasOwn(SUBCOMMANDS, sub) ? SUBCOMMANDS[sub] : undefined;
    if (!run) throw new FlagError(`usage: medchain contract compile|disasm|deploy <file> [options]${sub ? ` (unknown subcommand "${sub}")` : ''}`, 'contract');
    return run(rest);
  },
};
