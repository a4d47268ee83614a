import type { Logger, ProviderError } from '@herald/core';

/**
 * Logs a provider's authentication failure (only an operator can fix bad credentials, so it must
 * be loud) and returns the error for the caller to throw. Other errors pass through silently.
 */
export function reportAuthFailure(
  error: ProviderError,
  logger: Pick<Logger, 'error'> | undefined,
  notificationId: string,
  hint: string,
): ProviderError {
  if (error.reasonCode === 'provider_auth_failed') {
    logger?.error({ provider: error.provider, notificationId, err: error }, hint);
  }
  return error;
}
