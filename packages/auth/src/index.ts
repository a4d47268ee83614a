export { CLIENT_ID_PATTERN, assertClientId } from './client-id';
export { issueToken } from './issue-token';
export type { IssueTokenInput, IssuedToken } from './issue-token';
export { parseJwks, parsePrivateJwk, parsePublicJwk, toPublicJwk } from './jwk-shape';
export type { Jwks, PrivateSigningJwk, PublicSigningJwk } from './jwk-shape';
export {
  JWKS_FILE,
  SIGNING_KEY_FILE,
  ensureSigningKey,
  keyFilePaths,
  listKeys,
  retireKey,
  writeNewSigningKey,
} from './key-files';
export type { KeyFilePaths, KeyListing } from './key-files';
export { createJwksReloader } from './jwks-reloader';
export type { JwksReloader, JwksReloaderOptions, JwksSource } from './jwks-reloader';
export { loadJwks, loadPrivateJwk } from './load-keys';
export type { PrivateKeySource } from './load-keys';
export { createRevocationCache } from './revocation-cache';
export type { RevocationCache, RevocationCacheOptions } from './revocation-cache';
export { SCOPES, isScope, parseScopes } from './scopes';
export type { Scope } from './scopes';
export { generateSigningKey } from './signing-keys';
export type { SigningKey } from './signing-keys';
export { createTokenVerifier } from './token-verifier';
export type { TokenVerifier, TokenVerifierOptions, VerifiedClient } from './token-verifier';
export { MAX_TTL_SECONDS, MIN_TTL_SECONDS, assertTtlInRange, parseTtl } from './ttl';
export {
  DEFAULT_SESSION_TTL_SECONDS,
  MAX_SESSION_TTL_SECONDS,
  MIN_SESSION_TTL_SECONDS,
  RECIPIENT_SESSION_AUDIENCE,
  RECIPIENT_SESSION_TYPE,
  createRecipientSessions,
  recipientSessionKey,
} from './recipient-session';
export type { RecipientSession, RecipientSessions } from './recipient-session';
