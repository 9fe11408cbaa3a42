import { NodeError } from '../errors.js';

/** One `medchain <name>` command: its usage lines and its entry point (returns the exit code). */
export interface Command {
  name: string;
  /** Usage lines shown by `medchain help` (first line: the synopsis). */
  usage: string[];
  run(argv: string[]): Promise<number> | number;
}

/** Parses an integer flag within bounds, or returns the fallback when absent. */
export function intFlag(v: string | undefined, flag: string, fallback: number, min: number, max: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new FlagError(`${flag} must be an integer in ${min}..${max}`, flag);
  }
  return n;
}

/** A bad command-line flag. */
export class FlagError extends NodeError {
  constructor(message: string, flag: string) {
    super('NODE_BAD_FLAG', message, { field: flag });
  }
}
