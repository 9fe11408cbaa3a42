export * from './errors.js';
export * from './chain.js';
export * from './validatorSets.js';
