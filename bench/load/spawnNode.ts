/**
 * `--spawn`: a fresh dev node on a temporary data dir, started from the compiled CLI and
 * stopped (SIGTERM, so `--cpu-prof` can write its profile) and deleted after the run. Its
 * per-block log lines (`block height=… txs=… ms=…`) are kept: the node's own block times are
 * the in-run reference for what the generator measures from outside.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LoadError } from './errors.js';

/** Time for a fresh dev node to open its store and listen. */
const START_TIMEOUT_MS = 30_000;
/** Time to finish the block in progress and close the store after SIGTERM, before SIGKILL. */
const STOP_TIMEOUT_MS = 30_000;
/** Log lines kept for error messages. */
const TAIL_LINES = 40;

/** One `block` log line of the node. */
export interface NodeBlockLine {
  height: number;
  txs: number;
  /** Build + commit time the node measured, ms. */
  ms: number;
  mempool: number;
  /** When the line arrived (performance.now()). */
  at: number;
}

/** The compiled CLI: `given`, or from source (vitest) dist/node/cli.js, from dist ../../node/cli.js. */
function cliPath(given?: string): string {
  if (given !== undefined) {
    if (!existsSync(given)) throw new LoadError('LOAD_NODE_FAILED', `--node-cli ${given} does not exist`, { file: given });
    return path.resolve(given);
  }
  const here = import.meta.url;
  const url = here.endsWith('.ts') ? new URL('../../dist/node/cli.js', here) : new URL('../../node/cli.js', here);
  const file = fileURLToPath(url);
  if (!existsSync(file)) throw new LoadError('LOAD_NODE_FAILED', `${file} is missing: run \`npx tsc -p tsconfig.json\``, { file });
  return file;
}

/** A running spawned node. */
export class SpawnedNode {
  readonly url: string;
  readonly pid: number;
  readonly blocks: NodeBlockLine[] = [];
  readonly dataDir: string;
  readonly #proc: ChildProcess;
  readonly #exited: Promise<number | null>;
  readonly #tail: string[];

  private constructor(proc: ChildProcess, url: string, dataDir: string, exited: Promise<number | null>, tail: string[], blocks: NodeBlockLine[]) {
    this.#proc = proc;
    this.url = url;
    this.pid = proc.pid!;
    this.dataDir = dataDir;
    this.#exited = exited;
    this.#tail = tail;
    this.blocks = blocks;
  }

  /** Starts `node [nodeArgs] cli.js dev --data-dir <tmp> --rpc-port 0 --block-ms <blockMs>`. */
  static async start(opts: { blockMs: number; nodeArgs: readonly string[]; nodeCli?: string; cliArgs?: readonly string[] }): Promise<SpawnedNode> {
    const cli = cliPath(opts.nodeCli);
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'medchain-load-'));
    const args = [...opts.nodeArgs, cli, 'dev', '--data-dir', dataDir, '--rpc-port', '0', '--block-ms', String(opts.blockMs), ...(opts.cliArgs ?? [])];
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const blocks: NodeBlockLine[] = [];
    let partial = '';
    let resolveUrl: (url: string) => void = () => {};
    const urlSeen = new Promise<string>((r) => (resolveUrl = r));
    const onData = (d: Buffer) => {
      const lines = (partial + d.toString()).split('\n');
      partial = lines.pop()!;
      for (const line of lines) {
        tail.push(line);
        if (tail.length > TAIL_LINES) tail.shift();
        const b = / block height=(\d+) txs=(\d+) ms=([\d.]+)(?: mempool=(\d+))?/.exec(line);
        if (b) blocks.push({ height: +b[1], txs: +b[2], ms: +b[3], mempool: +(b[4] ?? 0), at: performance.now() });
        const u = /rpc listening url=(ws:\/\/\S+)/.exec(line);
        if (u) resolveUrl(u[1]);
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
    let timer: NodeJS.Timeout | undefined;
    const failed = (why: string) => new LoadError('LOAD_NODE_FAILED', `spawned node ${why}:\n${tail.join('\n')}`, { dataDir });
    try {
      const url = await Promise.race([
        urlSeen,
        exited.then((code) => Promise.reject(failed(`exited with ${code} before listening`))),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(failed(`did not listen within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS))),
      ]);
      return new SpawnedNode(proc, url, dataDir, exited, tail, blocks);
    } catch (e) {
      proc.kill('SIGKILL');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Whether the process is still running. */
  get running(): boolean {
    return this.#proc.exitCode === null && this.#proc.signalCode === null;
  }

  /** The last log lines (for error reports). */
  logTail(): string {
    return this.#tail.join('\n');
  }

  /** SIGTERM, wait (SIGKILL after a timeout), delete the data dir; resolves with the exit code. */
  async stop(): Promise<number | null> {
    if (this.running) this.#proc.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      this.#exited,
      new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), STOP_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
    if (code === 'timeout') {
      this.#proc.kill('SIGKILL');
      await this.#exited;
    }
    rmSync(this.dataDir, { recursive: true, force: true });
    if (code === 'timeout') throw new LoadError('LOAD_NODE_FAILED', `spawned node did not stop within ${STOP_TIMEOUT_MS} ms of SIGTERM (killed)`, { pid: this.pid });
    return code;
  }
}
