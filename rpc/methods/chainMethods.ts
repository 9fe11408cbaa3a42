/** `chain_*`: chain info, blocks, headers, validators. */
import { fromHex, toHex } from '../../core/encoding/index.js';
import { headerHash, type Block } from '../../core/block/index.js';
import { decodeTx, txHash } from '../../core/tx/index.js';
import type { MethodSpec } from '../methodTable.js';
import { RpcError } from '../errors.js';
import {
  BLOCK_REF_SCHEMA,
  HEIGHT_SCHEMA,
  OBJECT_OR_NULL_SCHEMA,
  OBJECT_SCHEMA,
  type ChainBackend,
} from './backend.js';
import { blockJson, headerJson, txJson, type Json } from './json.js';

/** Resolves a height or hash to a stored block (undefined when unknown). */
export function findBlock(b: ChainBackend, ref: number | string): Block | undefined {
  const height = typeof ref === 'number' ? ref : b.chain.store.heightOf(fromHex(ref, 32));
  return height === undefined ? undefined : b.chain.store.block(height);
}

/** The chain API methods over `b`. */
export function chainMethods(b: ChainBackend): MethodSpec[] {
  return [
    {
      name: 'chain_getInfo',
      summary: 'Chain id, genesis hash, head and final heights, the validators of the next block and genesis contracts',
      params: [],
      result: { name: 'info', schema: OBJECT_SCHEMA },
      handler: () => ({
        chainId: b.chain.spec.chainId,
        genesisHash: toHex(b.chain.genesisHash),
        height: b.chain.head.height,
        headHash: toHex(b.chain.headHash),
        finalizedHeight: b.chain.store.finalHeight(),
        validators: b.chain.validators.map((v) => toHex(v.address)),
        contracts: b.contracts(),
        blockGasLimit: b.chain.spec.blockGasLimit,
      }),
    },
    {
      name: 'chain_getBlock',
      summary: 'A block by height or hash, with tx hashes (or full txs when fullTxs is true); null if unknown',
      params: [
        { name: 'block', schema: BLOCK_REF_SCHEMA, required: true },
        { name: 'fullTxs', schema: { type: 'boolean' } },
      ],
      result: { name: 'block', schema: OBJECT_OR_NULL_SCHEMA },
      handler: (p: { block: number | string; fullTxs?: boolean }) => {
        const block = findBlock(b, p.block);
        if (!block) return null;
        const txs: Json[] = block.txs.map((bytes) => {
          const hash = txHash(bytes);
          return p.fullTxs ? txJson(decodeTx(bytes), hash) : toHex(hash);
        });
        return blockJson(block, txs);
      },
    },
    {
      name: 'chain_getHeader',
      summary: 'A block header by height or hash; null if unknown',
      params: [{ name: 'block', schema: BLOCK_REF_SCHEMA, required: true }],
      result: { name: 'header', schema: OBJECT_OR_NULL_SCHEMA },
      handler: (p: { block: number | string }) => {
        const block = findBlock(b, p.block);
        return block ? headerJson(block.header, headerHash(block.header)) : null;
      },
    },
    {
      name: 'chain_getValidators',
      summary:
        'The validator set that signs block `height` (default: the next block, head + 1): address, public key and voting power. ' +
        'Governance changes (the validators contract) show here from their effective height',
      params: [{ name: 'height', schema: { ...HEIGHT_SCHEMA, description: 'block height, at most head + 1 (default: head + 1)' } }],
      result: { name: 'validators', schema: { type: 'array', items: OBJECT_SCHEMA } },
      errors: ['unknown_block'],
      handler: (p: { height?: number }) => {
        const next = b.chain.head.height + 1;
        const height = p.height ?? next;
        if (height > next) throw new RpcError(-32001, `the validator set of height ${height} is not known yet (head is ${next - 1})`, { reason: 'unknown_block', height });
        return b.chain.validatorsAt(height).map((v) => ({ address: toHex(v.address), publicKey: toHex(v.publicKey), power: v.power }));
      },
    },
  ];
}
