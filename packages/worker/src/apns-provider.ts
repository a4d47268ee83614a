import { readFileSync } from 'node:fs';
import { AppError } from '@herald/core';
import type { Logger, Provider } from '@herald/core';
import {
  createApnsConnections,
  createApnsProvider,
  createApnsTokenSource,
  readApnsKey,
} from '@herald/providers';
import type { WorkerConfig } from './config';

/**
 * The direct APNs provider from APNS_* (see `createApnsProvider`): the `.p8` key read and checked
 * now, so a bad key stops the worker at start; one HTTP/2 session per host, closed by `closers`.
 *
 * @throws AppError `CONFIG_INVALID` without the four credentials or with an unusable key.
 */
export function buildApnsProvider(
  config: WorkerConfig,
  logger: Logger,
  closers: (() => void)[],
): Provider {
  const { APNS_KEY_ID, APNS_TEAM_ID, APNS_PRIVATE_KEY, APNS_BUNDLE_ID } = config;
  if (
    APNS_KEY_ID === undefined ||
    APNS_TEAM_ID === undefined ||
    APNS_PRIVATE_KEY === undefined ||
    APNS_BUNDLE_ID === undefined
  ) {
    throw new AppError(
      'CONFIG_INVALID',
      'the apns provider needs APNS_KEY_ID, APNS_TEAM_ID, APNS_PRIVATE_KEY and APNS_BUNDLE_ID',
    );
  }
  const tokens = createApnsTokenSource({
    keyId: APNS_KEY_ID,
    teamId: APNS_TEAM_ID,
    key: readApnsKey(APNS_PRIVATE_KEY),
    clock: { now: () => new Date() },
  });
  const ca = config.HERALD_APNS_CA_FILE
    ? readFileSync(config.HERALD_APNS_CA_FILE, 'utf8')
    : undefined;
  const connections = createApnsConnections(ca === undefined ? {} : { ca });
  closers.push(() => connections.close());
  const defaultEnvironment = config.HERALD_APNS_SANDBOX === 'true' ? 'sandbox' : 'production';
  // Says at start which Apple host a target without `environment` goes to, and any override.
  logger.info(
    { provider: 'apns', defaultEnvironment, hostOverride: config.APNS_HOST !== undefined },
    'APNs configured',
  );
  return createApnsProvider({
    connections,
    tokens,
    bundleId: APNS_BUNDLE_ID,
    defaultEnvironment,
    ...(config.APNS_HOST === undefined ? {} : { host: config.APNS_HOST }),
    logger,
  });
}
