/** `state_*`: accounts and Merkle proofs (views come with the VM). */
import { fromHex, toHex } from '../../core/encoding/index.js';
import { headerHash } from '../../core/block/index.js';
import { accountKey, isEmptyAccount, storageKey } from '../../core/state/index.js';
import type { MethodSpec } from '../methodTable.js';
import { RpcError } from '../errors.js';
import { ADDRESS_SCHEMA, HEIGHT_SCHEMA, OBJECT_SCHEMA, type ChainBackend } from './backend.js';
import { intJson } from './json.js';

/** Longest storage slot key accepted for a proof (contract slot keys are hashes or short encodings). */
const MAX_SLOT_BYTES = 1024;

/** The state API methods over `b`. */
export function stateMethods(b: ChainBackend): MethodSpec[] {
  return [
    {
      name: 'state_getAccount',
      summary:
        'Nonce and balance of an account at the head (balance above 2^53-1 as a decimal string), and pendingNonce: ' +
        'the next nonce to use counting its txs waiting in the mempool',
      params: [{ name: 'address', schema: ADDRESS_SCHEMA, required: true }],
      result: { name: 'account', schema: OBJECT_SCHEMA },
      handler: (p: { address: string }) => {
        const address = fromHex(p.address, 20);
        const a = b.chain.account(address);
        return {
          nonce: a.nonce,
          pendingNonce: Math.max(a.nonce, b.mempool.pendingNonce(address)),
          balance: intJson(a.balance),
          codeHash: a.codeHash ? toHex(a.codeHash) : null,
        };
      },
    },
    {
      name: 'state_getProof',
      summary:
        'Merkle proof of an account (and optionally one contract storage slot) against the state root of a finalized block; ' +
        'verify with Trie.verifyProof(stateRoot, trieKey, proof) where trieKey = sha256(0x00 ‖ address) for accounts and ' +
        'sha256(0x02 ‖ address ‖ slot) for storage',
      params: [
        { name: 'address', schema: ADDRESS_SCHEMA, required: true },
        { name: 'key', schema: { type: 'string', pattern: '^0x([0-9a-fA-F]{2})*$', maxLength: 2 + 2 * MAX_SLOT_BYTES, description: 'storage slot, 0x-hex' } },
        { name: 'height', schema: { ...HEIGHT_SCHEMA, description: 'finalized height to prove against (default: the latest)' } },
      ],
      result: { name: 'proof', schema: OBJECT_SCHEMA },
      errors: ['unknown_block'],
      handler: async (p: { address: string; key?: string; height?: number }) => {
        const final = b.chain.store.finalHeight();
        const height = p.height ?? final;
        const block = height <= final ? b.chain.store.block(height) : undefined;
        if (!block) throw new RpcError(-32001, `no finalized block at height ${height}`, { reason: 'unknown_block', height });
        const address = fromHex(p.address, 20);
        const root = block.header.stateRoot;
        const trie = b.chain.trieAt(root);
        const state = b.chain.stateAt(root);
        const a = state.getAccount(address);
        const account = isEmptyAccount(a) ? null : a;
        const out: Record<string, unknown> = {
          height,
          blockHash: toHex(headerHash(block.header)),
          stateRoot: toHex(root),
          address: toHex(address),
          account: account ? { nonce: account.nonce, balance: intJson(account.balance), codeHash: account.codeHash ? toHex(account.codeHash) : null } : null,
          accountKey: toHex(accountKey(address)),
          accountProof: (await trie.prove(accountKey(address))).map(toHex),
        };
        if (p.key !== undefined) {
          const slot = fromHex(p.key);
          const value = state.getStorage(address, slot);
          out.storage = {
            key: toHex(slot),
            trieKey: toHex(storageKey(address, slot)),
            value: value ? toHex(value) : null,
            proof: (await trie.prove(storageKey(address, slot))).map(toHex),
          };
        }
        return out;
      },
    },
  ];
}
