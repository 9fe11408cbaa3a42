/**
 * medchain's client SDK: a typed, auto-reconnecting JSON-RPC client with subscriptions as
 * async iterators, a transaction builder and `sendAndWait`. Browser-safe: nothing here (or in
 * what it imports) uses Node-only modules; test/rpc/client/browserSafe.test.ts checks that.
 */
export { createClient, MedchainClient, DEFAULT_CONNECT_TIMEOUT_MS, type BlockRef, type ClientOptions } from './client.js';
export { ClientError, RpcClientError, describeClientError, isRpcReason, type ClientErrorCode, type RpcErrorObject } from './errors.js';
export {
  JsonRpcClient,
  DEFAULT_MAX_BATCH_LENGTH,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type BatchCall,
  type BatchOutcome,
  type NotificationParams,
  type RequestOptions,
} from './jsonRpcClient.js';
export { jsonToValue, parseArgsJson } from './jsonValue.js';
export { addressOf, devKey, generateKey, keyFromSecret, DEV_KEY_COUNT, type ClientKey } from './keys.js';
export {
  backoffDelay,
  DEFAULT_BACKOFF_FACTOR,
  DEFAULT_INITIAL_DELAY_MS,
  DEFAULT_MAX_DELAY_MS,
  type BackoffOptions,
  type ConnectionState,
  type ReconnectOptions,
} from './reconnect.js';
export { DEFAULT_RECEIPT_POLL_MS, DEFAULT_WAIT_TIMEOUT_MS, receiptOfStatus, sendAndWait, type SendAndWaitOptions } from './sendAndWait.js';
export { Subscription, DEFAULT_MAX_BUFFERED } from './subscription.js';
export { MAX_BACKFILL_HEADERS } from './subscriptionSet.js';
export { resolveWebSocket, type WebSocketConstructor, type WebSocketLike } from './transport.js';
export { TxBuilder, DEFAULT_GAS_LIMIT, type TxParams } from './txBuilder.js';
export { addressBytes, builtTx, encodeTx, signTx, txBytes, txHash, txSigningDigest, TX_DOMAIN, type BuiltTx, type SignedTx, type TxInput, type UnsignedTx } from './txCodec.js';
export type * from './types.js';
