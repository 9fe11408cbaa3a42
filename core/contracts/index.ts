export * from './errors.js';
export * from './viewCall.js';
