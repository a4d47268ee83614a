import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '@herald/core';
import { writeFileAtomic } from './atomic-write';
import type { Jwks, PublicSigningJwk } from './jwk-shape';
import { toPublicJwk } from './jwk-shape';
import { loadJwks, loadPrivateJwk } from './load-keys';
import { generateSigningKey } from './signing-keys';

/** File name of the active private key inside a keys directory (mode 0600). */
export const SIGNING_KEY_FILE = 'signing-key.json';

/** File name of the trusted public keys inside a keys directory, newest first. */
export const JWKS_FILE = 'jwks.json';

/** The two files of a keys directory. */
export interface KeyFilePaths {
  signingKey: string;
  jwks: string;
}

/** A key listed in `jwks.json`; `active` marks the one `signing-key.json` holds. */
export interface KeyListing {
  kid: string;
  active: boolean;
}

/** Paths of the key files inside `dir`. */
export function keyFilePaths(dir: string): KeyFilePaths {
  return { signingKey: join(dir, SIGNING_KEY_FILE), jwks: join(dir, JWKS_FILE) };
}

/**
 * Rotates: generates a key, prepends its public half to `jwks.json` (keeping the old keys, so
 * tokens they signed stay valid until retired) and makes it the active key. Creates `dir` if
 * needed. Returns the new kid. Not safe against a concurrent run on the same directory.
 */
export async function writeNewSigningKey(dir: string): Promise<string> {
  const paths = keyFilePaths(dir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const key = await generateSigningKey();
  const jwks = await readJwksFile(paths.jwks);
  // The JWKS first: a crash between the two writes then leaves the old key active and an unused
  // public key trusted, never an active key whose tokens nobody can verify.
  await writeJwksFile(paths.jwks, { keys: [key.publicJwk, ...jwks.keys] });
  await writeFileAtomic(paths.signingKey, `${JSON.stringify(key.privateJwk, null, 2)}\n`, 0o600);
  return key.kid;
}

/**
 * Makes sure `dir` has an active key, generating one only when `signing-key.json` is absent.
 * Also re-adds the active public key to `jwks.json` if it went missing. Idempotent.
 */
export async function ensureSigningKey(dir: string): Promise<{ kid: string; created: boolean }> {
  const paths = keyFilePaths(dir);
  if (!(await exists(paths.signingKey))) {
    return { kid: await writeNewSigningKey(dir), created: true };
  }
  const active = await loadPrivateJwk({ path: paths.signingKey });
  const jwks = await readJwksFile(paths.jwks);
  if (!jwks.keys.some((k) => k.kid === active.kid)) {
    await writeJwksFile(paths.jwks, { keys: [toPublicJwk(active), ...jwks.keys] });
  }
  return { kid: active.kid, created: false };
}

/** The keys `jwks.json` trusts, newest first, marking the active one. Empty if there is none. */
export async function listKeys(dir: string): Promise<KeyListing[]> {
  const paths = keyFilePaths(dir);
  const activeKid = await readActiveKid(paths.signingKey);
  const jwks = await readJwksFile(paths.jwks);
  return jwks.keys.map((k) => ({ kid: k.kid, active: k.kid === activeKid }));
}

/**
 * Stops trusting a key: removes it from `jwks.json`, so tokens it signed fail verification once
 * the api reloads its JWKS. Throws AppError `CONFLICT` for the active key (rotate first) and
 * `NOT_FOUND` for a kid that is not listed.
 */
export async function retireKey(dir: string, kid: string): Promise<void> {
  const paths = keyFilePaths(dir);
  if ((await readActiveKid(paths.signingKey)) === kid) {
    throw new AppError(
      'CONFLICT',
      `key ${kid} is the active signing key; generate a new key before retiring it`,
    );
  }
  const jwks = await readJwksFile(paths.jwks);
  const keys = jwks.keys.filter((k) => k.kid !== kid);
  if (keys.length === jwks.keys.length) {
    throw new AppError('NOT_FOUND', `key ${kid} is not in ${paths.jwks}`);
  }
  await writeJwksFile(paths.jwks, { keys });
}

async function readActiveKid(path: string): Promise<string | undefined> {
  if (!(await exists(path))) return undefined;
  return (await loadPrivateJwk({ path })).kid;
}

async function readJwksFile(path: string): Promise<Jwks> {
  return (await exists(path)) ? loadJwks(path) : { keys: [] };
}

async function writeJwksFile(path: string, jwks: { keys: PublicSigningJwk[] }): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(jwks, null, 2)}\n`, 0o644);
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
