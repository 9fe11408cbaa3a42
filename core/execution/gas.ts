/**
 * Gas of the transaction envelope. Gas is not paid for (design §4: no fees); it bounds the
 * work and bytes a tx may put in a block. The VM's per-instruction table lives in vm/.
 */

/** Flat cost of any tx: signature check, nonce/account update, receipt. */
export const TX_BASE_GAS = 1_000;
/** Per byte of the encoded tx: makes block size a function of the block gas limit. */
export const TX_BYTE_GAS = 4;

/** Gas charged before any execution: base plus bytes. */
export function intrinsicGas(encodedLength: number): number {
  return TX_BASE_GAS + TX_BYTE_GAS * encodedLength;
}
