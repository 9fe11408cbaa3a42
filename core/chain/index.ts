export * from './errors.js';
export * from './chain.js';
