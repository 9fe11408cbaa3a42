import type { MethodSpec } from '../methodTable.js';
import type { ChainBackend } from './backend.js';
import { chainMethods } from './chainMethods.js';
import { nodeMethods } from './nodeMethods.js';
import { stateMethods } from './stateMethods.js';
import { txMethods } from './txMethods.js';

export * from './backend.js';
export * from './json.js';
export { storedReceiptJson } from './txMethods.js';

/** Every chain API method, ready to register into a MethodTable. */
export function chainApi(b: ChainBackend): MethodSpec[] {
  return [...chainMethods(b), ...txMethods(b), ...stateMethods(b), ...nodeMethods(b)];
}
