/** medchain core's public API (dist/core/index.js). */
export * from './errors.js';
export * from './types.js';
export * from './encoding/index.js';
export * from './crypto/index.js';
export * from './tx/index.js';
export * from './trie/index.js';
// both export sha256; the crypto one is the public one
export { sha256 } from './crypto/index.js';
export * from './sigpool/index.js';
export * from './block/index.js';
export * from './state/index.js';
export * from './execution/index.js';
export * from './genesis/index.js';
export * from './mempool/index.js';
export * from './store/index.js';
export * from './chain/index.js';
export * from './consensus/index.js';
