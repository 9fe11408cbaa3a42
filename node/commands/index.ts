import type { Command } from './command.js';
import { initCommand } from './init.js';
import { keysCommand } from './keys.js';
import { devCommand, startCommand } from './run.js';

/** Every `medchain` command, in the order `help` lists them. Add new commands here. */
export const COMMANDS: readonly Command[] = [devCommand, startCommand, initCommand, keysCommand];
