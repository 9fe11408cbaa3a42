export * from './errors.js';
export * from './header.js';
export * from './block.js';
export * from './commit.js';
export * from './validators.js';
export * from './orderedRoot.js';
