import { ProviderError, systemClock } from '@herald/core';
import type {
  Clock,
  Logger,
  OutboundMessage,
  Provider,
  PushNotificationRequest,
  SendResult,
} from '@herald/core';
import { reportAuthFailure } from './auth-failure';
import { createFcmAccessTokens } from './fcm-access-token';
import { parseFcmFailure, translateFcmFailure } from './fcm-error';
import { fcmMessage } from './fcm-message';
import type { FcmServiceAccount } from './fcm-service-account';
import { retryAfterMs } from './retry-after';

export interface FcmProviderOptions {
  /** The service account the messages are sent as (validated by `@herald/config`). */
  account: FcmServiceAccount;
  /** `FCM_API_BASE_URL`; default `https://fcm.googleapis.com`. */
  apiBaseUrl?: string;
  /** Used for the token endpoint and FCM alike. Default: the global `fetch`. */
  fetch?: typeof fetch;
  clock?: Clock;
  /** Authentication failures are logged here: only an operator can fix them. */
  logger?: Pick<Logger, 'error'>;
  /** The provider's name in statuses and errors. Default `fcm`. */
  name?: string;
}

const DEFAULT_API_BASE_URL = 'https://fcm.googleapis.com';
/** FCM's error bodies are small JSON documents; anything bigger is not read. */
const MAX_ERROR_BODY_CHARS = 16_384;

/**
 * Firebase Cloud Messaging, HTTP v1: `POST <apiBaseUrl>/v1/projects/<project_id>/messages:send`
 * to `to.fcm.token` (body: see `fcmMessage`), authorised by an OAuth 2 access token obtained with
 * the service account's signed grant and cached (see `createFcmAccessTokens`).
 *
 * `send` resolves with FCM's message `name` (`projects/…/messages/…`) once FCM accepted it;
 * there is no receipt. On a 401 it drops the cached access token and tries once more with a new
 * one (tokens can be revoked before they expire). It throws a ProviderError (see
 * `translateFcmFailure`): a target that is not `fcm` → permanent `target_not_supported`;
 * `UNREGISTERED` → permanent `subscription_gone` with `deadTarget`; network failures → retryable
 * `provider_unavailable`; `signal` aborted → retryable `provider_timeout`. Auth failures are
 * logged. Neither messages nor causes carry the registration token.
 * Not idempotent: FCM has no deduplication, so a resend after a crash may reach the device
 * twice (the payload's `notificationId` lets the app drop the duplicate).
 */
export function createFcmProvider(opts: FcmProviderOptions): Provider<PushNotificationRequest> {
  const name = opts.name ?? 'fcm';
  const clock = opts.clock ?? systemClock;
  const doFetch = opts.fetch ?? fetch;
  const base = (opts.apiBaseUrl ?? DEFAULT_API_BASE_URL).replace(/\/+$/, '');
  const url = `${base}/v1/projects/${encodeURIComponent(opts.account.project_id)}/messages:send`;
  const tokens = createFcmAccessTokens({
    account: opts.account,
    provider: name,
    fetch: doFetch,
    clock,
  });

  async function post(
    message: OutboundMessage<PushNotificationRequest>,
    deviceToken: string,
    accessToken: string,
    signal: AbortSignal,
  ): Promise<Response> {
    try {
      return await doFetch(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${accessToken}`,
          'content-type': 'application/json; charset=utf-8',
        },
        body: JSON.stringify(fcmMessage(message, deviceToken, clock.now())),
        redirect: 'manual',
        signal,
      });
    } catch {
      // fetch's errors can quote the URL and body (the device token): none is kept.
      throw signal.aborted
        ? new ProviderError(name, true, 'FCM did not answer before the deadline', {
            reasonCode: 'provider_timeout',
          })
        : new ProviderError(name, true, 'FCM could not be reached', {
            reasonCode: 'provider_unavailable',
          });
    }
  }

  async function attempt(
    message: OutboundMessage<PushNotificationRequest>,
    deviceToken: string,
    signal: AbortSignal,
  ): Promise<SendResult> {
    let accessToken = await tokens.get(signal);
    let res = await post(message, deviceToken, accessToken, signal);
    if (res.status === 401) {
      await res.body?.cancel().catch(() => undefined);
      tokens.invalidate(accessToken);
      accessToken = await tokens.get(signal);
      res = await post(message, deviceToken, accessToken, signal);
    }
    const text = await res.text().catch(() => '');
    if (res.ok) {
      const messageName = (safeJson(text) as { name?: unknown } | undefined)?.name;
      return {
        providerMessageId:
          typeof messageName === 'string' && messageName !== ''
            ? messageName
            : `fcm:${message.notificationId}`,
      };
    }
    const failure = parseFcmFailure(
      res.status,
      safeJson(text.slice(0, MAX_ERROR_BODY_CHARS)),
      retryAfterMs(res.headers.get('retry-after'), clock.now()),
    );
    throw translateFcmFailure(failure, name);
  }

  return {
    channel: 'push',
    name,
    supports: (request) => 'fcm' in request.to,
    async send(message, signal): Promise<SendResult> {
      const { to } = message.request;
      if (!('fcm' in to)) {
        throw new ProviderError(name, false, 'FCM only sends to FCM registration tokens', {
          reasonCode: 'target_not_supported',
        });
      }
      try {
        return await attempt(message, to.fcm.token, signal);
      } catch (err) {
        if (!(err instanceof ProviderError)) throw err;
        throw reportAuthFailure(
          err,
          opts.logger,
          message.notificationId,
          'FCM refused our service account; check FCM_SERVICE_ACCOUNT and its project',
        );
      }
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
