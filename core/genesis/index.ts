export * from './errors.js';
export * from './genesisSpec.js';
export * from './genesisBlock.js';
export * from './genesisContracts.js';
