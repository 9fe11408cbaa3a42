/** Shared value types. Brands are compile-time only: at run time these are plain values. */

/** 20-byte account or contract address. */
export type Address = Uint8Array & { readonly __brand?: 'Address' };
/** 32-byte SHA-256 digest. */
export type Hash = Uint8Array & { readonly __brand?: 'Hash' };
/** Block height (genesis = 0). */
export type Height = number;
/** 32-byte Ed25519 public key. */
export type PublicKey = Uint8Array & { readonly __brand?: 'PublicKey' };
/** 64-byte Ed25519 signature. */
export type Signature = Uint8Array & { readonly __brand?: 'Signature' };

/** A signature check as the sig pool takes it: `message` is the domain digest the key signed. */
export interface SigCheck {
  publicKey: Uint8Array;
  message: Uint8Array;
  signature: Uint8Array;
}
