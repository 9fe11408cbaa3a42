import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { toHex } from '../../core/encoding/index.js';
import { parseGenesis } from '../../core/genesis/index.js';
import { MEDICAL_CONTRACTS } from '../../genesis/medicalContracts.js';
import { DEFAULT_BLOCK_MS, DEFAULT_RPC_HOST, DEFAULT_RPC_PORT, devGenesis } from '../config.js';
import { newKeyPair, writeKeyFile } from '../keyFile.js';
import { FlagError, type Command } from './command.js';

/** `medchain init`: a new single-validator chain — genesis, validator key and config. */
export const initCommand: Command = {
  name: 'init',
  usage: [
    'init                  create a new chain: genesis, validator key and config',
    '    --chain-id <id>       chain id (required)',
    '    --out <dir>           where to write genesis.json, key.json, config.json (required)',
    "    --balance <n>         initial balance of the validator's account (default 0)",
  ],
  run: (argv) => {
    const { values } = parseArgs({
      args: argv,
      options: { 'chain-id': { type: 'string' }, out: { type: 'string' }, balance: { type: 'string' } },
      strict: true,
    });
    if (!values['chain-id']) throw new FlagError('init needs --chain-id <id>', '--chain-id');
    if (!values.out) throw new FlagError('init needs --out <dir>', '--out');
    const out = path.resolve(values.out);
    for (const f of ['genesis.json', 'key.json', 'config.json']) {
      if (existsSync(path.join(out, f))) throw new FlagError(`${path.join(out, f)} already exists; not overwriting`, '--out');
    }
    const balance = values.balance ?? '0';
    if (!/^(0|[1-9][0-9]{0,19})$/.test(balance)) throw new FlagError('--balance must be a non-negative integer', '--balance');
    const key = newKeyPair();
    const genesis = {
      chainId: values['chain-id'],
      timeMs: Date.now(),
      blockGasLimit: devGenesis().blockGasLimit,
      blockIntervalMs: DEFAULT_BLOCK_MS,
      validators: [{ publicKey: toHex(key.publicKey), power: 1 }],
      accounts: balance === '0' ? [] : [{ address: toHex(key.address), balance }],
      regulators: [toHex(key.address)],
      contracts: MEDICAL_CONTRACTS,
    };
    // Validate before writing anything, so a bad chain id leaves no files behind.
    parseGenesis(genesis);
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'genesis.json'), JSON.stringify(genesis, null, 2) + '\n', { flag: 'wx' });
    writeKeyFile(path.join(out, 'key.json'), key);
    const config = { dataDir: './data', genesis: './genesis.json', key: './key.json', rpc: { host: DEFAULT_RPC_HOST, port: DEFAULT_RPC_PORT } };
    writeFileSync(path.join(out, 'config.json'), JSON.stringify(config, null, 2) + '\n', { flag: 'wx' });
    console.log(`new chain ${values['chain-id']} in ${out}\nvalidator ${toHex(key.address)}\nrun: medchain start --config ${path.join(out, 'config.json')}`);
    return 0;
  },
};
