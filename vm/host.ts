/**
 * The host interface: the only way a contract reaches outside the VM (design §7). The VM
 * hands the host plain data (`HostValue`, the canonical msgpack data model, which is also
 * core's `Value`), so the host encodes storage and events with the chain's one canonical
 * codec and the VM carries no copy of it.
 *
 * Effects are NOT host calls: storage writes, events and balance moves (`pay`, `transfer`)
 * are buffered by the VM and returned from `execute` (`writes`, `events`, `transfers`) for
 * the host to apply only on success, so a failed call — out of gas at any instruction, a
 * revert, a fault — changes nothing anywhere. Reads see the call's own buffered effects.
 */

/** A value on the host side: msgpack's data model (ints as number when safe, else bigint). */
export type HostValue = number | bigint | string | Uint8Array | boolean | null | HostValue[] | { [key: string]: HostValue };

/** The result of a read-only call into another contract. */
export interface ViewResult {
  result: HostValue;
  gasUsed: number;
}

export interface Host {
  /** Who called: the tx signer for a top-level call, the calling contract for a nested view. */
  readonly caller: Uint8Array;
  /** The executing contract's address. */
  readonly self: Uint8Array;
  readonly height: number;
  /** Block time in ms since the Unix epoch (the only clock a contract has). */
  readonly timeMs: number;
  /** The tx's hash (32 zero bytes for state_call). */
  readonly txHash: Uint8Array;
  /** Current value of slot `path` = [variable name, ...keys] of this contract, or undefined. */
  storageGet(path: readonly HostValue[]): HostValue | undefined;
  /** Native balance of `address` before this call (the VM adds its own buffered moves). */
  balanceOf(address: Uint8Array): bigint;
  /**
   * Runs view `fn` of the contract at `target` with at most `gasLimit` gas; throws the
   * callee's VmHalt (OutOfGas, Revert, VmError) if it fails.
   */
  callView(target: Uint8Array, fn: string, args: HostValue[], gasLimit: number): ViewResult;
  /** SHA-256 (FIPS 180-4). */
  sha256(data: Uint8Array): Uint8Array;
  /** The canonical msgpack encoding of `value` (design §2). */
  encode(value: HostValue): Uint8Array;
}

/** A buffered storage write: the slot path and its new value (undefined deletes it). */
export interface StorageWrite {
  path: HostValue[];
  value: HostValue | undefined;
}

/** A buffered balance move: `pay` (caller → contract) or `transfer` (contract → `to`). */
export interface Transfer {
  from: Uint8Array;
  to: Uint8Array;
  amount: bigint;
}

/** An emitted event: its name and its fields as a record (sorted keys on the wire). */
export interface VmEvent {
  name: string;
  data: { [field: string]: HostValue };
}
