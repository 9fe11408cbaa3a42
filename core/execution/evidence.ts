/**
 * Equivocation evidence on chain: a tx to EVIDENCE_ADDRESS calling `reportEquivocation(vote1,
 * vote2)` with two signed votes (canonical vote bytes) of one validator for different values
 * at one (height, round, step). Execution checks it natively — both signatures under that
 * height's validator set, like a precompile — and records it once in the state trie under the
 * evidence address (provable with state_getProof), with an `Equivocation` event. Anyone may
 * report; the node's consensus driver reports what its state machine detects.
 */
import type { Validator } from '../block/index.js';
import { evidenceProblem, decodeVote, verifyVote, type Evidence } from '../consensus/index.js';
import { sha256 } from '../crypto/index.js';
import { encode, utf8, type Value } from '../encoding/index.js';
import type { StateDB } from '../state/index.js';
import type { Address, Height } from '../types.js';
import type { ExecOutcome } from './executor.js';

/** The evidence handler's address: sha256("medchain/evidence")[:20]. No code lives there. */
export const EVIDENCE_ADDRESS: Address = sha256(utf8('medchain/evidence')).subarray(0, 20);

/** The one method of the evidence address. */
export const EVIDENCE_METHOD = 'reportEquivocation';

/** Gas of a report: two native signature checks and a storage write, in the VM's gas scale. */
export const EVIDENCE_GAS = 40_000;

/**
 * Oldest evidence accepted, in heights behind the block. Bounds the validator-set lookups a
 * report may ask for; a month of 1-second blocks is ample for an operator to notice.
 */
export const EVIDENCE_MAX_AGE = 2_600_000;

/** Largest encoded vote accepted (a vote is ~150 bytes): hostile args are refused before decoding. */
const MAX_VOTE_BYTES = 512;

/** What evidence checking needs from the chain: the validator set that signed at `height`, if known. */
export type ValidatorsAt = (height: Height) => readonly Validator[] | undefined;

/** The storage slot of the evidence against `validator` at (height, round, step). */
export function evidenceSlot(validator: Address, height: Height, round: number, step: number): Uint8Array {
  return sha256(encode([validator, height, round, step]));
}

/**
 * Runs `reportEquivocation` (see the file comment). Reverts, with a reason, on anything that is
 * not new, valid evidence; never throws on hostile args.
 */
export function reportEquivocation(
  state: StateDB,
  env: { chainId: string; height: Height; validatorsAt?: ValidatorsAt },
  reporter: Address,
  method: string,
  args: readonly Value[],
  gasLeft: number,
): ExecOutcome {
  const revert = (error: string): ExecOutcome => ({ ok: false, gasUsed: 0, error: `evidence: ${error}` });
  if (method !== EVIDENCE_METHOD) return revert(`unknown method ${JSON.stringify(method.slice(0, 64))}`);
  if (gasLeft < EVIDENCE_GAS) return { ok: false, gasUsed: gasLeft, error: 'evidence: out of gas' };
  if (args.length !== 2) return revert('args must be [vote1: bytes, vote2: bytes]');
  const [b1, b2] = args;
  if (!(b1 instanceof Uint8Array) || !(b2 instanceof Uint8Array)) return revert('args must be [vote1: bytes, vote2: bytes]');
  if (b1.length > MAX_VOTE_BYTES || b2.length > MAX_VOTE_BYTES) return revert('vote too large');
  let ev: Evidence;
  try {
    ev = { vote1: decodeVote(b1), vote2: decodeVote(b2) };
  } catch (e) {
    return revert((e as Error).message);
  }
  const { height, round, type } = ev.vote1;
  if (height < 1 || height > env.height) return revert(`height ${height} is not in the past of block ${env.height}`);
  if (env.height - height > EVIDENCE_MAX_AGE) return revert(`height ${height} is older than ${EVIDENCE_MAX_AGE} blocks`);
  const validators = env.validatorsAt?.(height);
  if (!validators) return revert(`validator set of height ${height} unknown`);
  const problem = evidenceProblem(ev, validators);
  if (problem) return revert(problem);
  if (!verifyVote(env.chainId, ev.vote1, validators) || !verifyVote(env.chainId, ev.vote2, validators)) return revert('bad vote signature');
  const offender = validators[ev.vote1.validatorIndex];
  const slot = evidenceSlot(offender.address, height, round, type);
  if (state.getStorage(EVIDENCE_ADDRESS, slot)) return revert('already recorded');
  // The pair in byte order, so a report of (a, b) and of (b, a) store the same record.
  const [first, second] = Buffer.compare(b1, b2) <= 0 ? [b1, b2] : [b2, b1];
  state.setStorage(EVIDENCE_ADDRESS, slot, encode([offender.address, height, round, type, first, second, reporter, env.height]));
  const data: Value = { validator: offender.address, height, round, step: type, reporter };
  return { ok: true, gasUsed: EVIDENCE_GAS, result: slot, events: [{ contract: EVIDENCE_ADDRESS, event: 'Equivocation', data }] };
}

