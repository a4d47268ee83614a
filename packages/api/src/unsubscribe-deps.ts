import { systemClock, type Logger, type PreferenceStore } from '@herald/core';
import { createUnsubscribeTokens } from '@herald/guards';
import type { AppDeps } from './app';
import type { ApiConfig } from './config';

/** The unsubscribe routes, when a link secret is configured (the worker signs with the same). */
export function unsubscribeLinks(
  config: ApiConfig,
  preferences: PreferenceStore,
  logger: Logger,
): Pick<AppDeps, 'unsubscribe'> {
  if (config.HERALD_LINK_SECRET === undefined) return {};
  const tokens = createUnsubscribeTokens(config.HERALD_LINK_SECRET);
  return {
    unsubscribe: {
      verify: (token) => tokens.verify(token),
      preferences,
      clock: systemClock,
      onOptOut: (target, outcome) =>
        logger.info(
          { clientId: target.clientId, topicId: target.topicId, outcome },
          'unsubscribed',
        ),
    },
  };
}
