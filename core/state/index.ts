export * from './errors.js';
export * from './keys.js';
export * from './account.js';
export * from './stateDB.js';
