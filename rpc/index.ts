/** medchain's JSON-RPC 2.0 server framework; the node registers its methods into a MethodTable. */
export { internalContext, type RpcContext } from './context.js';
export { Dispatcher, resultJson, type DispatcherOptions } from './dispatcher.js';
export {
  APP_ERRORS,
  applicationErrors,
  INTERNAL_ERROR,
  INVALID_PARAMS,
  INVALID_REQUEST,
  METHOD_NOT_FOUND,
  PARSE_ERROR,
  RPC_ERRORS,
  RpcError,
  toRpcError,
  type AppErrorSpec,
} from './errors.js';
export { type ChainEvent, type EventFilter, type FilterValue } from './eventFilter.js';
export { type HealthCheck, type HealthStatus } from './httpHandler.js';
export * from './limits.js';
export { NOOP_LOGGER, type RpcLogger } from './logger.js';
export { bindParams, MethodDefinitionError, MethodTable, type ApiInfo, type MethodSpec, type ParamSpec, type ResultSpec } from './methodTable.js';
export { buildOpenRpcDocument, OPENRPC_VERSION, type OpenRpcDocument } from './openrpc.js';
export { SchemaDefinitionError, validate, type Schema, type SchemaType } from './schema.js';
export { createRpcServer, type RpcServer, type RpcServerDeps, type RpcServerOptions, type RpcServerStats } from './server.js';
export { subscribeMethod, subscriptionMethods, unsubscribeMethod } from './subscriptionMethods.js';
export { SubscriptionHub, type HubSources, type Publications, type SubscriptionKind, type TxStatus } from './subscriptions.js';
