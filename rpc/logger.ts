/**
 * The logger the RPC server writes to, Lodestar-style: a message, structured context and an
 * optional error. The node passes its own; the default drops everything.
 */
export interface RpcLogger {
  debug(msg: string, context?: Record<string, unknown>): void;
  info(msg: string, context?: Record<string, unknown>): void;
  warn(msg: string, context?: Record<string, unknown>, error?: unknown): void;
  error(msg: string, context?: Record<string, unknown>, error?: unknown): void;
}

/** A logger that discards everything (tests, benchmarks). */
export const NOOP_LOGGER: RpcLogger = Object.freeze({
  debug() {},
  info() {},
  warn() {},
  error() {},
});
