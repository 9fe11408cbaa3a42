import path from 'node:path';
import { parseArgs } from 'node:util';
import { toHex } from '../../core/encoding/index.js';
import { newKeyPair, writeKeyFile } from '../keyFile.js';
import { FlagError, type Command } from './command.js';

/** `medchain keys new [--out file]`. */
export const keysCommand: Command = {
  name: 'keys',
  usage: ['keys new [--out file] make a new Ed25519 key (printed, or written to a 0600 file)'],
  run: (argv) => {
    const [sub, ...rest] = argv;
    if (sub !== 'new') throw new FlagError('usage: medchain keys new [--out file]', 'keys');
    const { values } = parseArgs({ args: rest, options: { out: { type: 'string' } }, strict: true });
    const key = newKeyPair();
    if (values.out) {
      writeKeyFile(path.resolve(values.out), key);
      console.log(`wrote ${values.out}\naddress   ${toHex(key.address)}\npublicKey ${toHex(key.publicKey)}`);
    } else {
      console.log(JSON.stringify({ secretKey: toHex(key.secretKey), publicKey: toHex(key.publicKey), address: toHex(key.address) }, null, 2));
    }
    return 0;
  },
};
