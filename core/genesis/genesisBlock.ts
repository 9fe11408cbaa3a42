import { headerHash, orderedRoot, validatorsHash, ZERO_HASH, type Header } from '../block/index.js';
import { StateDB } from '../state/index.js';
import type { Trie } from '../trie/index.js';
import type { Hash } from '../types.js';
import { installGenesisContracts } from './genesisContracts.js';
import type { GenesisSpec } from './genesisSpec.js';

/** The genesis block's header and the state it starts from. */
export interface Genesis {
  header: Header;
  /** The genesis hash: it identifies the chain (p2p handshakes compare it). */
  hash: Hash;
  /** Trie nodes of the genesis state, for the store's first batch. */
  nodes: Array<[Uint8Array, Uint8Array]>;
}

/** Builds the genesis state in `trie` (empty): balances, then contracts; and the height-0 header over it. */
export async function buildGenesis(spec: GenesisSpec, trie: Trie): Promise<Genesis> {
  const state = new StateDB(trie);
  for (const { address, balance } of spec.accounts) {
    state.setAccount(address, { ...state.getAccount(address), balance });
  }
  installGenesisContracts(state, spec.contracts ?? [], spec.regulators, spec.validators);
  const { root, nodes } = await state.commit();
  const emptyRoot = await orderedRoot([]);
  const header: Header = {
    chainId: spec.chainId,
    height: 0,
    prevHash: ZERO_HASH,
    timeMs: spec.timeMs,
    proposer: new Uint8Array(20),
    txRoot: emptyRoot,
    stateRoot: root,
    receiptsRoot: emptyRoot,
    validatorsHash: validatorsHash(spec.validators),
    lastCommitHash: ZERO_HASH,
  };
  return { header, hash: headerHash(header), nodes };
}
