import type { Command } from './command.js';
import { contractCommand } from './contract.js';
import { demoCommand } from './demo.js';
import { initCommand } from './init.js';
import { keysCommand } from './keys.js';
import { queryCommand } from './query.js';
import { devCommand, startCommand } from './run.js';
import { statusCommand } from './status.js';
import { testnetCommand } from './testnet.js';
import { txCommand } from './tx.js';
import { validatorsCommand } from './validators.js';

/** Every `medchain` command, in the order `help` lists them. Add new commands here. */
export const COMMANDS: readonly Command[] = [devCommand, startCommand, initCommand, testnetCommand, keysCommand, txCommand, validatorsCommand, contractCommand, queryCommand, statusCommand, demoCommand];
