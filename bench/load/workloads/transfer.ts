/** The `transfer` workload: native transfers between the generator's own senders. */
import { fromHex } from '../../../core/encoding/index.js';
import type { TransferParams } from './factories.js';
import type { Workload } from './types.js';

/** Transfers need no contract and no setup beyond funding, which the generator does for every sender. */
export const transferWorkload: Workload = {
  name: 'transfer',
  requires: [],
  setup: async (ctx): Promise<TransferParams> => ({ addresses: ctx.senders.map((s) => fromHex(s.address, 20)) }),
};
