/** `state_*`: accounts, Merkle proofs and read-only contract calls. */
import { viewCall, type Json } from '../../core/contracts/index.js';
import { fromHex, toHex } from '../../core/encoding/index.js';
import { headerHash } from '../../core/block/index.js';
import { accountKey, isEmptyAccount, storageKey } from '../../core/state/index.js';
import type { MethodSpec } from '../methodTable.js';
import { RpcError } from '../errors.js';
import { ADDRESS_SCHEMA, HEIGHT_SCHEMA, OBJECT_SCHEMA, type ChainBackend } from './backend.js';
import { intJson } from './json.js';

/** Longest storage slot key accepted for a proof (contract slot keys are hashes or short encodings). */
const MAX_SLOT_BYTES = 1024;
/** Gas a state_call may use (capped by the block gas limit): views are read-only but not free to serve. */
const STATE_CALL_GAS = 10_000_000;
/** Most arguments a state_call takes (no exported function has more). */
const MAX_CALL_ARGS = 64;

/** The state API methods over `b`. */
export function stateMethods(b: ChainBackend): MethodSpec[] {
  return [
    {
      name: 'state_call',
      summary:
        'Runs a view function of a contract against the head state (block.height and block.time are the head\'s) and returns ' +
        'its result as JSON; args are JSON converted by the contract\'s ABI (positional array or object by parameter name; ' +
        'bytes and addresses as 0x hex, records as objects, map<string,V> as objects, tuples as arrays, ints above 2^53-1 as ' +
        'decimal strings); from is the view\'s caller (default the zero address)',
      params: [
        { name: 'to', schema: ADDRESS_SCHEMA, required: true },
        { name: 'method', schema: { type: 'string', minLength: 1, maxLength: 128, description: 'an exported view function' }, required: true },
        {
          name: 'args',
          schema: {
            oneOf: [
              { type: 'array', maxItems: MAX_CALL_ARGS },
              { type: 'object', maxProperties: MAX_CALL_ARGS },
            ],
            description: 'arguments by position or by name (default none)',
          },
        },
        { name: 'from', schema: ADDRESS_SCHEMA },
      ],
      result: { name: 'result', schema: { description: "the view's result as JSON (null for none)" } },
      errors: ['unknown_contract', 'execution_reverted', 'out_of_gas', 'execution_failed', 'invalid_params'],
      handler: (p: { to: string; method: string; args?: Json[] | { [name: string]: Json }; from?: string }) => {
        const head = b.chain.head;
        return viewCall({
          state: b.chain.stateAt(),
          executor: b.chain.executor,
          block: { chainId: head.chainId, height: head.height, timeMs: head.timeMs },
          to: fromHex(p.to, 20),
          method: p.method,
          args: p.args ?? [],
          from: p.from === undefined ? undefined : fromHex(p.from, 20),
          gasLimit: Math.min(STATE_CALL_GAS, b.chain.spec.blockGasLimit),
        }).result;
      },
    },
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
