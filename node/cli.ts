#!/usr/bin/env node
/** The `medchain` command line: dispatches to node/commands/. */
import { MedchainError } from '../core/errors.js';
import { COMMANDS } from './commands/index.js';

function usage(): string {
  const lines = COMMANDS.flatMap((c) => c.usage.map((l) => '  ' + l));
  return `medchain — a permissioned blockchain node for a health-care consortium

usage: medchain <command> [options]

commands:
${lines.join('\n')}
  help                  print this message`;
}

async function main(argv: string[]): Promise<number> {
  const [name = 'help', ...rest] = argv;
  if (name === 'help' || name === '--help' || name === '-h') {
    console.log(usage());
    return 0;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    console.error(`medchain: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  return cmd.run(rest);
}

// A reader that goes away (`medchain demo supply | head`) drops the rest of the output; it is
// not a crash. A node whose log pipe closes keeps running and stops on its signals as usual.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    if (e instanceof MedchainError) console.error(`medchain: ${e.message}`);
    else if ((e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) console.error(`medchain: ${(e as Error).message}\n\n${usage()}`);
    else console.error('medchain: unexpected error', e);
    process.exitCode = 1;
  },
);
