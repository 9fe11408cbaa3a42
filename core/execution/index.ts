export * from './errors.js';
export * from './gas.js';
export * from './receipt.js';
export * from './executor.js';
export * from './applyTx.js';
export * from './evidence.js';
export * from './executeBlock.js';
export * from './vmExecutor.js';
