/** `state_*`: accounts (and, with the VM and proofs issues, views and proofs). */
import { fromHex, toHex } from '../../core/encoding/index.js';
import type { MethodSpec } from '../methodTable.js';
import { ADDRESS_SCHEMA, OBJECT_SCHEMA, type ChainBackend } from './backend.js';
import { intJson } from './json.js';

/** The state API methods over `b`. */
export function stateMethods(b: ChainBackend): MethodSpec[] {
  return [
    {
      name: 'state_getAccount',
      summary: 'Nonce and balance of an account at the head (balance above 2^53-1 as a decimal string)',
      params: [{ name: 'address', schema: ADDRESS_SCHEMA, required: true }],
      result: { name: 'account', schema: OBJECT_SCHEMA },
      handler: (p: { address: string }) => {
        const a = b.chain.account(fromHex(p.address, 20));
        return { nonce: a.nonce, balance: intJson(a.balance), codeHash: a.codeHash ? toHex(a.codeHash) : null };
      },
    },
  ];
}
