/** `medchain demo claims`: runs the medical flow against a running dev node (demoClaims.ts). */
import { parseArgs } from 'node:util';
import { FlagError, type Command } from './command.js';
import { runClaimsDemo } from './demoClaims.js';
import { DEFAULT_RPC_URL, EXIT_FAILED, rpcUrlFlag, withClient } from './query.js';

const DEMOS: Record<string, true> = { claims: true };

/** `medchain demo claims [--rpc url]`. */
export const demoCommand: Command = {
  name: 'demo',
  usage: [
    'demo claims           run the medical flow against a dev node with the dev keys: registry,',
    '                      consent, a record anchor and its access log, a policy, escrow and',
    '                      claims adjudicated on chain; prints every step',
    `    --rpc <url>           the node (default ${DEFAULT_RPC_URL})`,
  ],
  run: async (argv) => {
    const { values, positionals } = parseArgs({ args: argv, options: { rpc: { type: 'string' } }, strict: true, allowPositionals: true });
    const [name, ...extra] = positionals;
    if (name === undefined || !Object.hasOwn(DEMOS, name) || extra.length > 0) {
      throw new FlagError(`usage: medchain demo claims [--rpc url]${name && !Object.hasOwn(DEMOS, name) ? ` (unknown demo "${name}")` : ''}`, 'demo');
    }
    const url = rpcUrlFlag(values.rpc);
    return withClient(url, async (client) => {
      const result = await runClaimsDemo(client, (line) => console.log(line));
      return result.failures === 0 ? 0 : EXIT_FAILED;
    });
  },
};
