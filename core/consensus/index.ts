/** core/consensus: the Tendermint state machine (pure), its messages, timeouts and the SafetyGuard. */
export * from './errors.js';
export * from './types.js';
export * from './timeouts.js';
export * from './vote.js';
export * from './proposal.js';
export * from './voteSet.js';
export * from './safety.js';
export * from './wal.js';
export {
  initState,
  proposerIndex,
  storedMessages,
  logChanged,
  isOneThird,
  MAX_ROUND,
  type ConsensusState,
  type RoundState,
  type Validity,
  type BufferedMessage,
  type InitOptions,
  type StepResult,
} from './state.js';
export { MAX_FUTURE_ROUNDS_PER_VALIDATOR, MAX_BUFFERED_PER_VALIDATOR } from './intake.js';
export { MAX_RULE_EXECUTIONS } from './rules.js';
export { step } from './step.js';
