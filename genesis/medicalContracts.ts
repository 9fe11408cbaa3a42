/**
 * The medical contracts as a genesis file lists them: `{name, code}` with the compiled
 * container, taken from the committed genesis/dev.json (built by buildDevGenesis.ts), so
 * every genesis that `medchain init` and `medchain testnet init` write deploys the same
 * bytecode at the same fixed addresses as the dev chain.
 */
import devGenesis from './dev.json' with { type: 'json' };

/** The genesis contracts' entries, in the order of GENESIS_CONTRACT_NAMES (buildDevGenesis.ts). */
export const MEDICAL_CONTRACTS: ReadonlyArray<{ readonly name: string; readonly code: string }> = devGenesis.contracts;
