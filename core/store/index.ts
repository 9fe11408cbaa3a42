export * from './errors.js';
export * from './buckets.js';
export * from './chainStore.js';
