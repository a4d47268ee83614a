import type { ClientLimitOverrides, ClientSettings, ClientSettingsReader } from '@herald/core';
import type { RequestHandler, Response } from 'express';
import { clientOf } from './require-client-token';

/**
 * Reads the caller's client settings (`herald client set`) once per request, for the limiters
 * and the route after it; a client without settings gets the deployment's defaults. Register it after
 * `requireClientToken`. The reader is expected to cache (≤ 30 s), so this costs no store read per
 * request; a failure of the reader fails the request (`UNAVAILABLE` → 503).
 */
export function loadClientLimits(reader: ClientSettingsReader): RequestHandler {
  return async (_req, res, next) => {
    res.locals.clientSettings = await reader.get(clientOf(res).clientId);
    next();
  };
}

/** The caller's settings as `loadClientLimits` found them; none when it did not run. */
export function clientSettingsOf(res: Response): ClientSettings | undefined {
  return res.locals.clientSettings as ClientSettings | undefined;
}

/** The caller's overrides as `loadClientLimits` found them; none when it did not run. */
export function clientLimitsOf(res: Response): ClientLimitOverrides {
  return clientSettingsOf(res)?.limits ?? {};
}
