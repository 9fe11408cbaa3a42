import { parseArgs } from 'node:util';
import { WebSocket } from 'ws';
import { createClient, describeClientError, ClientError, RpcClientError, type MedchainClient } from '../../rpc/client/index.js';
import { DEFAULT_RPC_HOST, DEFAULT_RPC_PORT } from '../config.js';
import { FlagError, type Command } from './command.js';

/** Where the client commands look for a node unless given `--rpc`: a local node's default. */
export const DEFAULT_RPC_URL = `ws://${DEFAULT_RPC_HOST}:${DEFAULT_RPC_PORT}`;
/** A local node accepts a connection in milliseconds; a one-shot command should not hang. */
const CLI_CONNECT_TIMEOUT_MS = 5_000;
/** Exit code when the node refused a request or could not be reached. */
export const EXIT_FAILED = 1;

/** Checks a `--rpc` value: a ws:// or wss:// URL. */
export function rpcUrlFlag(v: string | undefined): string {
  const url = v ?? DEFAULT_RPC_URL;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new FlagError(`--rpc must be a ws:// or wss:// URL, got "${url}"`, '--rpc');
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') throw new FlagError(`--rpc must be a ws:// or wss:// URL, got "${url}"`, '--rpc');
  return url;
}

/**
 * Runs `fn` with a client connected to `url` (`ws`'s WebSocket: Node 20 has no global one; no
 * reconnects: a one-shot command reports a lost node instead of waiting for it). Client and
 * node errors are printed as one line and give EXIT_FAILED; the client is always closed.
 */
export async function withClient(url: string, fn: (client: MedchainClient) => Promise<number>): Promise<number> {
  let client: MedchainClient | undefined;
  try {
    client = await createClient(url, { WebSocket, reconnect: false, connectTimeoutMs: CLI_CONNECT_TIMEOUT_MS });
    return await fn(client);
  } catch (e) {
    if (!(e instanceof RpcClientError || e instanceof ClientError)) throw e;
    const where = client ? '' : `cannot reach a node at ${url}: `;
    console.error(`medchain: ${where}${describeClientError(e)}`);
    return EXIT_FAILED;
  } finally {
    await client?.close();
  }
}

/** Parses the optional params argument: a JSON array (by position) or object (by name). */
function paramsArg(text: string | undefined): unknown[] | Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new FlagError(`params must be JSON: ${(e as Error).message}`, 'params');
  }
  if (typeof v !== 'object' || v === null) throw new FlagError('params must be a JSON array or object, e.g. \'[1]\' or \'{"block":1}\'', 'params');
  return v as unknown[] | Record<string, unknown>;
}

/** `medchain query <method> [params-json]`: calls any RPC method and prints the JSON result. */
export const queryCommand: Command = {
  name: 'query',
  usage: [
    'query <method> [params] call any JSON-RPC method and print its result as JSON',
    '    params                a JSON array (by position) or object (by name), e.g. \'[1]\'',
    `    --rpc <url>           the node (default ${DEFAULT_RPC_URL})`,
  ],
  run: async (argv) => {
    const { values, positionals } = parseArgs({ args: argv, options: { rpc: { type: 'string' } }, allowPositionals: true, strict: true });
    const [method, paramsText, ...extra] = positionals;
    if (!method) throw new FlagError('usage: medchain query <method> [params-json] [--rpc url]', 'method');
    if (extra.length > 0) throw new FlagError(`unexpected argument "${extra[0]}": put all params in one JSON array`, 'params');
    const params = paramsArg(paramsText);
    const url = rpcUrlFlag(values.rpc);
    return withClient(url, async (client) => {
      const result = await client.call(method, params);
      console.log(JSON.stringify(result, null, 2));
      return 0;
    });
  },
};
