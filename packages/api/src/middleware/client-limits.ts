import type { ClientLimitOverrides, ClientSettingsReader } from '@herald/core';
import type { RequestHandler, Response } from 'express';
import { clientOf } from './require-client-token';

/**
 * Reads the caller's limit overrides from its client settings (`herald client set`) for the
 * limiters after it; a client without settings gets the deployment's defaults. Register it after
 * `requireClientToken`. The reader is expected to cache (≤ 30 s), so this costs no store read per
 * request; a failure of the reader fails the request (`UNAVAILABLE` → 503).
 */
export function loadClientLimits(reader: ClientSettingsReader): RequestHandler {
  return async (_req, res, next) => {
    const settings = await reader.get(clientOf(res).clientId);
    res.locals.clientLimits = settings?.limits ?? {};
    next();
  };
}

/** The caller's overrides as `loadClientLimits` found them; none when it did not run. */
export function clientLimitsOf(res: Response): ClientLimitOverrides {
  return (res.locals.clientLimits as ClientLimitOverrides | undefined) ?? {};
}
