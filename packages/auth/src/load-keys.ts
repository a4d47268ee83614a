import { readFile } from 'node:fs/promises';
import { AppError } from '@herald/core';
import { parseJwks, parsePrivateJwk } from './jwk-shape';
import type { Jwks, PrivateSigningJwk } from './jwk-shape';

/** Where the private signing key comes from: inline JSON (an env var) wins over a file path. */
export interface PrivateKeySource {
  json?: string;
  path?: string;
}

/**
 * Loads and checks the active private signing key. Throws AppError `CONFIG_INVALID` when neither
 * source is given, the file is missing or unreadable, or the content is not an EC P-256 private
 * JWK with a `kid`. Messages name the source but never echo key material.
 */
export async function loadPrivateJwk(source: PrivateKeySource): Promise<PrivateSigningJwk> {
  if (source.json !== undefined && source.json.trim() !== '') {
    return parsePrivateJwk(parseJson(source.json, 'the signing key JSON'), 'the signing key');
  }
  if (source.path !== undefined) {
    const text = await readText(source.path, 'signing key');
    return parsePrivateJwk(parseJson(text, source.path), `signing key ${source.path}`);
  }
  throw new AppError('CONFIG_INVALID', 'no signing key configured');
}

/**
 * Loads a JWKS from inline JSON (anything starting with `{`) or from a file path, and checks
 * that it holds EC P-256 public keys only. Throws AppError `CONFIG_INVALID` otherwise; an empty
 * set is returned as is (the verifier refuses it).
 */
export async function loadJwks(jsonOrPath: string): Promise<Jwks> {
  const trimmed = jsonOrPath.trim();
  if (trimmed.startsWith('{')) return parseJwks(parseJson(trimmed, 'the JWKS JSON'), 'the JWKS');
  const text = await readText(trimmed, 'JWKS');
  return parseJwks(parseJson(text, trimmed), `JWKS ${trimmed}`);
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? 'unknown error';
    const reason = code === 'ENOENT' ? 'not found' : `cannot be read (${code})`;
    throw new AppError('CONFIG_INVALID', `${what} file ${path} ${reason}`, { cause });
  }
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // The parser's message quotes the input, which may be a private key: leave it out.
    throw new AppError('CONFIG_INVALID', `${where} is not valid JSON`);
  }
}
