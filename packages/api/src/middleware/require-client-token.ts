import { AppError } from '@herald/core';
import type { RequestHandler, Response } from 'express';

/** The authenticated caller, as the token verifier reports it. */
export interface ClientIdentity {
  clientId: string;
  scopes: readonly string[];
}

/** The slice of `@herald/auth`'s verifier the api needs. Throws `UNAUTHENTICATED`. */
export interface TokenVerifier {
  verify(token: string): Promise<ClientIdentity>;
}

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;

/** Rejects the request with `401` unless it carries a valid, unrevoked client token. */
export function requireClientToken(verifier: TokenVerifier): RequestHandler {
  if (typeof verifier?.verify !== 'function')
    throw new TypeError('requireClientToken needs a verifier');
  return async (req, res, next) => {
    const header = req.get('authorization');
    if (header === undefined)
      throw new AppError('UNAUTHENTICATED', 'Authorization: Bearer <token> is required');
    const match = BEARER.exec(header);
    if (!match?.[1])
      throw new AppError('UNAUTHENTICATED', 'Authorization header must be "Bearer <token>"');
    res.locals.client = await verifier.verify(match[1]);
    next();
  };
}

/** Rejects with `403` unless the token grants `scope`. Runs after requireClientToken. */
export function requireScope(scope: string): RequestHandler {
  return (_req, res, next) => {
    if (!clientOf(res).scopes.includes(scope)) {
      throw new AppError('FORBIDDEN', `This token lacks the ${scope} scope`);
    }
    next();
  };
}

export function clientOf(res: Response): ClientIdentity {
  const client = res.locals.client as ClientIdentity | undefined;
  if (!client) throw new AppError('INTERNAL', 'route registered without requireClientToken');
  return client;
}
