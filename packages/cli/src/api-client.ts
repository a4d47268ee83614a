import { createHeraldClient, isHeraldApiError } from '@herald/client';
import type { HeraldClient } from '@herald/client';
import { SCOPES, issueToken, loadPrivateJwk } from '@herald/auth';
import { AppError } from '@herald/core';
import type { CommandContext } from './context';

/**
 * Calls the Herald API with the configured URL and token. Throws AppError `CONFIG_INVALID` when
 * either is missing, and `UNAVAILABLE` when the API cannot be reached or does not answer in
 * time; the API's own answers (`HeraldApiError`) pass through for the caller to print.
 */
export async function callApi<T>(
  ctx: CommandContext,
  call: (client: HeraldClient) => Promise<T>,
): Promise<T> {
  const { apiUrl } = ctx.config;
  const token = ctx.config.token ?? (ctx.config.localMode ? await localDevToken(ctx) : undefined);
  if (apiUrl === undefined) {
    throw new AppError(
      'CONFIG_INVALID',
      'no API URL: set HERALD_API_URL, or start the local stack so that it writes .data/local.json',
    );
  }
  if (token === undefined) {
    throw new AppError(
      'CONFIG_INVALID',
      "no token: set HERALD_TOKEN (issue one with 'herald token issue --client <id>'), or start the local stack",
    );
  }
  const client = createHeraldClient({
    baseUrl: apiUrl,
    token,
    ...(ctx.services.fetch ? { fetch: ctx.services.fetch } : {}),
    userAgent: 'herald-cli',
  });
  try {
    return await call(client);
  } catch (err) {
    if (isHeraldApiError(err) || !isTransportFailure(err)) throw err;
    throw new AppError('UNAVAILABLE', `cannot reach the Herald API at ${apiUrl}: ${reason(err)}`, {
      cause: err,
    });
  }
}

/**
 * In local mode the CLI finds the local signing key by itself, so `send`, `status` and `list`
 * work without HERALD_TOKEN: they act as the `local-dev` client the start banner's token names.
 */
async function localDevToken(ctx: CommandContext): Promise<string> {
  const issued = await issueToken({
    privateJwk: await loadPrivateJwk(ctx.config.signingKey),
    clientId: 'local-dev',
    scopes: [...SCOPES],
    ttlSeconds: 15 * 60,
    issuer: ctx.config.tokenIssuer,
    audience: ctx.config.tokenAudience,
    now: ctx.services.now(),
  });
  return issued.token;
}

/** fetch rejects with a TypeError when the network fails; the client's timeout is a TimeoutError. */
function isTransportFailure(err: unknown): err is Error {
  // By name, not instanceof: fetch's errors may come from another realm (jest's sandbox).
  const name = err instanceof Error || isNamed(err) ? err.name : undefined;
  return name === 'TypeError' || name === 'TimeoutError';
}

function isNamed(err: unknown): err is Error {
  return (
    typeof err === 'object' && err !== null && typeof (err as { name?: unknown }).name === 'string'
  );
}

/** fetch hides the useful part (ECONNREFUSED, ENOTFOUND) in `cause`. */
function reason(err: Error): string {
  if (err.name === 'TimeoutError') return 'no answer in time';
  const cause: unknown = err.cause;
  const code: unknown =
    typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : err.message;
}
