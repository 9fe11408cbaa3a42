#!/usr/bin/env node
/** The `medchain` command line. Commands are added as the node's parts land. */

const USAGE = `medchain — a permissioned blockchain node for a health-care consortium

usage: medchain <command> [options]

commands:
  dev       run a single-validator dev node (not available yet: the chain issue adds it)
  help      print this message`;

function main(argv: string[]): number {
  const cmd = argv[0] ?? 'help';
  switch (cmd) {
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return 0;
    case 'dev':
      console.error('medchain dev: the dev node is not built yet (blocks, execution and the chain store come next).');
      return 1;
    default:
      console.error(`medchain: unknown command "${cmd}"\n\n${USAGE}`);
      return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
