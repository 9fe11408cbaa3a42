/** `medchain demo claims|supply|surveillance`: runs a flow against a running dev node (demo*.ts). */
import { parseArgs } from 'node:util';
import type { MedchainClient } from '../../rpc/client/index.js';
import { FlagError, type Command } from './command.js';
import { runClaimsDemo } from './demoClaims.js';
import { runSupplyDemo } from './demoSupply.js';
import { runSurveillanceDemo } from './demoSurveillance.js';
import { DEFAULT_RPC_URL, EXIT_FAILED, rpcUrlFlag, withClient } from './query.js';

type Demo = (client: MedchainClient, print: (line: string) => void) => Promise<{ failures: number }>;
const DEMOS: Record<string, Demo> = { claims: runClaimsDemo, supply: runSupplyDemo, surveillance: runSurveillanceDemo };
const SYNOPSIS = `medchain demo ${Object.keys(DEMOS).join('|')} [--rpc url]`;

/** `medchain demo <claims|supply|surveillance> [--rpc url]`. */
export const demoCommand: Command = {
  name: 'demo',
  usage: [
    'demo claims           run the medical flow against a dev node with the dev keys: registry,',
    '                      consent, a record anchor and its access log, a policy, escrow and',
    '                      claims adjudicated on chain; prints every step',
    'demo supply           a vaccine batch through the cold chain: manufacturer, distributor and',
    '                      pharmacy custody, readings, an excursion quarantine and its release,',
    '                      dispensing, the custody history, a recall and a refused shipment',
    'demo surveillance     disease case reports confirmed by a lab and a cdc, one discarded, an',
    "                      own-organisation confirmation refused; the public statistics",
    `    --rpc <url>           the node (default ${DEFAULT_RPC_URL}); every demo can run again`,
    '                          on the same chain',
  ],
  run: async (argv) => {
    const { values, positionals } = parseArgs({ args: argv, options: { rpc: { type: 'string' } }, strict: true, allowPositionals: true });
    const [name, ...extra] = positionals;
    if (name === undefined || !Object.hasOwn(DEMOS, name)) {
      throw new FlagError(`usage: ${SYNOPSIS}${name === undefined ? '' : ` (unknown demo "${name}")`}`, 'demo');
    }
    if (extra.length > 0) throw new FlagError(`usage: ${SYNOPSIS} (unexpected "${extra.join(' ')}")`, 'demo');
    const url = rpcUrlFlag(values.rpc);
    const demo = DEMOS[name]!;
    return withClient(url, async (client) => {
      const result = await demo(client, (line) => console.log(line));
      return result.failures === 0 ? 0 : EXIT_FAILED;
    });
  },
};
