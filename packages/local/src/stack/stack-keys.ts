import path from 'node:path';
import { SCOPES, issueToken, keyFilePaths, loadPrivateJwk, ensureSigningKey } from '@herald/auth';
import type { Scope } from '@herald/auth';
import { DEFAULT_TOKEN_AUDIENCE, DEFAULT_TOKEN_ISSUER } from '@herald/config';
import { ensureLocalSecrets } from '../local-secrets';
import type { LocalSecrets } from '../local-secrets';

/** The issuer and audience the stack's tokens carry and its api checks: the deployables' defaults. */
const ISSUER = DEFAULT_TOKEN_ISSUER;
const AUDIENCE = DEFAULT_TOKEN_AUDIENCE;
const DEFAULT_SCOPES: readonly Scope[] = SCOPES;

/** The stack's keys, under `<dataDir>/keys`; kept across restarts with the same data dir. */
export interface StackKeys {
  keysDir: string;
  /** The public keys the api verifies tokens with (HERALD_JWKS). */
  jwksPath: string;
  issuer: string;
  audience: string;
  vapid: LocalSecrets['vapid'];
  /** The worker's HERALD_CALLBACK_SECRET. */
  callbackSecret: string;
  /** HERALD_LINK_SECRET of the api and the worker (unsubscribe links). */
  linkSecret: string;
}

/**
 * Makes whatever keys are missing: the signing key and JWKS, the VAPID keys, the callback and
 * link secrets.
 */
export async function ensureStackKeys(dataDir: string): Promise<StackKeys> {
  const keysDir = path.join(dataDir, 'keys');
  const secrets = await ensureLocalSecrets(keysDir);
  await ensureSigningKey(keysDir);
  return {
    keysDir,
    jwksPath: keyFilePaths(keysDir).jwks,
    issuer: ISSUER,
    audience: AUDIENCE,
    vapid: secrets.vapid,
    callbackSecret: secrets.callbackSecret,
    linkSecret: secrets.linkSecret,
  };
}

/**
 * Signs a client token with the stack's active key (default scopes: send and read; default
 * lifetime one hour). Throws AppError `VALIDATION_FAILED` for a bad client id, scope or ttl.
 */
export async function issueStackToken(
  keys: StackKeys,
  clientId: string,
  scopes: readonly Scope[] = DEFAULT_SCOPES,
  ttlSeconds = 3600,
): Promise<string> {
  const issued = await issueToken({
    privateJwk: await loadPrivateJwk({ path: keyFilePaths(keys.keysDir).signingKey }),
    clientId,
    scopes,
    ttlSeconds,
    issuer: keys.issuer,
    audience: keys.audience,
  });
  return issued.token;
}
