import { AppError, type Logger, type Provider } from '@herald/core';
import { createFcmProvider, createSlackBotProvider } from '@herald/providers';
import type { WorkerConfig } from './config';

/**
 * The `fcm` provider from FCM_SERVICE_ACCOUNT (and FCM_API_BASE_URL). It calls only the
 * operator's configured hosts (FCM and the account's `token_uri`), never a client-named URL, so
 * no URL guard applies. Throws `CONFIG_INVALID` without a service account.
 */
export function fcmProvider(config: WorkerConfig, logger: Logger): Provider {
  if (config.FCM_SERVICE_ACCOUNT === undefined) {
    throw new AppError('CONFIG_INVALID', 'the fcm provider needs FCM_SERVICE_ACCOUNT');
  }
  return createFcmProvider({
    account: config.FCM_SERVICE_ACCOUNT,
    ...(config.FCM_API_BASE_URL ? { apiBaseUrl: config.FCM_API_BASE_URL } : {}),
    logger,
  });
}

/**
 * The `slack-bot` provider from SLACK_BOT_TOKEN (and SLACK_API_URL); a call is abandoned after
 * HERALD_SEND_TIMEOUT_MS. Throws `CONFIG_INVALID` without a token.
 */
export function slackBotProvider(config: WorkerConfig, logger: Logger): Provider {
  if (config.SLACK_BOT_TOKEN === undefined) {
    throw new AppError('CONFIG_INVALID', 'the slack-bot provider needs SLACK_BOT_TOKEN');
  }
  return createSlackBotProvider({
    token: config.SLACK_BOT_TOKEN,
    ...(config.SLACK_API_URL ? { apiUrl: config.SLACK_API_URL } : {}),
    timeoutMs: config.HERALD_SEND_TIMEOUT_MS,
    logger,
  });
}
