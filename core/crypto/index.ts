export { sha256 } from './sha256.js';
export { generateSecretKey, getPublicKey, sign, devKey, DEV_KEY_COUNT, SECRET_KEY_LENGTH } from './keys.js';
export { addressOf, ADDRESS_LENGTH } from './address.js';
export { verify, checkAcceptanceRule } from './verify.js';
export { KeyObjectCache, KEY_OBJECT_CACHE_SIZE } from './keyObjectCache.js';
export { DOMAIN_TX, DOMAIN_VOTE, DOMAIN_HELLO, signingDigest, signDomain, verifyDomain } from './domain.js';
export { CryptoError, type CryptoErrorCode } from './errors.js';
