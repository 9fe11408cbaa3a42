/** medchain p2p: WebSocket links, handshake, gossip and limits (design §10). */
export * from './errors.js';
export * from './messages.js';
export * from './handshake.js';
export * from './limits.js';
export * from './seenCache.js';
export { Peer, CLOSE } from './peer.js';
export { Network, type NetworkOptions, type NetworkHandlers, type PeerInfo, type P2PLogger } from './network.js';
