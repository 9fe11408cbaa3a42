export * from './errors.js';
export * from './signedTx.js';
