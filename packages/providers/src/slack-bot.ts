import { ProviderError } from '@herald/core';
import type {
  Logger,
  Provider,
  RefusalCode,
  SendResult,
  SlackNotificationRequest,
} from '@herald/core';
import { ErrorCode, LogLevel, WebClient } from '@slack/web-api';
import type { Logger as SlackLogger } from '@slack/web-api';
import { reportAuthFailure } from './auth-failure';
import { untilAborted } from './until-aborted';

export interface SlackBotProviderOptions {
  /** `SLACK_BOT_TOKEN` (`xoxb-…`), with the `chat:write` scope (and `im:write` for DMs). */
  token: string;
  /** `SLACK_API_URL`, e.g. a local stand-in in tests; default Slack's `https://slack.com/api/`. */
  apiUrl?: string;
  /** A call is abandoned after this (the worker's send timeout). Default 20 s. */
  timeoutMs?: number;
  /** Authentication failures are logged here: only an operator can fix them. */
  logger?: Pick<Logger, 'error'>;
  /** The provider's name in statuses and errors. Default `slack-bot`. */
  name?: string;
}

interface Verdict {
  retryable: boolean;
  reasonCode: RefusalCode;
}

/** The conversation is gone or the bot cannot post there: no retry will change that. */
const TARGET_GONE = new Set([
  'channel_not_found',
  'user_not_found',
  'not_in_channel',
  'is_archived',
  'user_disabled',
  'cannot_dm_bot',
]);
const AUTH = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
  'missing_scope',
  'no_permission',
  'ekm_access_denied',
]);
const TRANSIENT = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);
const SLACK_CODE = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * Slack through a bot token: `chat.postMessage` with `{ channel: to.conversation, text, blocks }`
 * through the official `@slack/web-api` client. A user id opens (or reuses) the bot's DM with
 * that user; a conversation id posts there.
 *
 * `send` resolves with `<channel>:<ts>` (Slack's message id within its conversation) once Slack
 * answered `ok`. It throws a ProviderError:
 * - a webhook target → permanent `target_not_supported` (that is `createSlackProvider`'s);
 * - `ratelimited` (HTTP 429) → retryable `provider_unavailable` with its `Retry-After`;
 * - `channel_not_found`, `user_not_found`, `not_in_channel`, `is_archived`… → permanent
 *   `recipient_unreachable`, never `deadTarget` (a bot can be invited back);
 * - `invalid_auth`, `token_revoked`, `missing_scope`… → retryable `provider_auth_failed`, logged;
 * - `internal_error`, 5xx, network failures → retryable `provider_unavailable`;
 * - `signal` aborted → retryable `provider_timeout`;
 * - any other Slack error (`msg_too_long`, `invalid_blocks`…) → permanent `provider_rejected`.
 * Not idempotent: a resend after a crash posts twice.
 */
export function createSlackBotProvider(
  opts: SlackBotProviderOptions,
): Provider<SlackNotificationRequest> {
  const name = opts.name ?? 'slack-bot';
  const client = new WebClient(opts.token, {
    ...(opts.apiUrl === undefined ? {} : { slackApiUrl: withSlash(opts.apiUrl) }),
    // The client would retry by itself (10 times over ~30 minutes, sleeping through rate limits)
    // while holding the notification's lease: Herald's retry policy, which persists the next
    // attempt and honours Retry-After across workers, is the only one that applies.
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: opts.timeoutMs ?? 20_000,
    logger: silentSlackLogger,
    // Absolute URLs as method names must never move the token to another host.
    allowAbsoluteUrls: false,
  });
  return {
    channel: 'slack',
    name,
    supports: (request) => 'conversation' in request.to,
    async send(message, signal): Promise<SendResult> {
      const { request } = message;
      if (!('conversation' in request.to)) {
        throw new ProviderError(name, false, 'the Slack bot posts to conversation ids only', {
          reasonCode: 'target_not_supported',
        });
      }
      if (signal.aborted) {
        throw new ProviderError(name, true, 'Slack did not answer before the deadline', {
          reasonCode: 'provider_timeout',
        });
      }
      const call = client.chat.postMessage({
        channel: request.to.conversation,
        text: request.text,
        // Blocks stay opaque objects here (Slack validates them); the SDK's Block type is stricter.
        ...(request.blocks === undefined ? {} : { blocks: request.blocks as never }),
      });
      try {
        const res = await untilAborted(call, signal, 'chat.postMessage');
        return { providerMessageId: `${res.channel ?? request.to.conversation}:${res.ts ?? ''}` };
      } catch (cause) {
        const error = signal.aborted
          ? new ProviderError(name, true, 'Slack did not answer before the deadline', {
              reasonCode: 'provider_timeout',
            })
          : translateSlackApiError(cause, name);
        throw reportAuthFailure(
          error,
          opts.logger,
          message.notificationId,
          'Slack refused the bot token; check SLACK_BOT_TOKEN and its scopes',
        );
      }
    },
  };
}

/** Turns what `@slack/web-api` threw into a ProviderError (see `createSlackBotProvider`). */
export function translateSlackApiError(cause: unknown, provider: string): ProviderError {
  const c = (cause ?? {}) as {
    code?: unknown;
    data?: { error?: unknown };
    retryAfter?: unknown;
    statusCode?: unknown;
  };
  if (c.code === ErrorCode.RateLimitedError) {
    const seconds = typeof c.retryAfter === 'number' ? c.retryAfter : undefined;
    return new ProviderError(provider, true, 'Slack rate-limited the bot (ratelimited)', {
      reasonCode: 'provider_unavailable',
      providerCode: 'ratelimited',
      ...(seconds === undefined ? {} : { retryAfterMs: Math.min(3_600, seconds) * 1_000 }),
    });
  }
  if (c.code === ErrorCode.PlatformError) {
    const raw = c.data?.error;
    const slackCode = typeof raw === 'string' && SLACK_CODE.test(raw) ? raw : 'unknown_error';
    const verdict = classify(slackCode);
    return new ProviderError(provider, verdict.retryable, `Slack refused (${slackCode})`, {
      reasonCode: verdict.reasonCode,
      providerCode: slackCode,
    });
  }
  if (c.code === ErrorCode.HTTPError && typeof c.statusCode === 'number') {
    const status = c.statusCode;
    const transient = status === 408 || status >= 500;
    return new ProviderError(provider, transient, `Slack answered HTTP ${status}`, {
      reasonCode: transient ? 'provider_unavailable' : 'provider_rejected',
      providerCode: String(status),
    });
  }
  return new ProviderError(provider, true, 'Slack could not be reached', {
    reasonCode: 'provider_unavailable',
  });
}

function classify(slackCode: string): Verdict {
  if (TARGET_GONE.has(slackCode)) return { retryable: false, reasonCode: 'recipient_unreachable' };
  if (AUTH.has(slackCode)) return { retryable: true, reasonCode: 'provider_auth_failed' };
  if (TRANSIENT.has(slackCode)) return { retryable: true, reasonCode: 'provider_unavailable' };
  return { retryable: false, reasonCode: 'provider_rejected' };
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

const silentSlackLogger: SlackLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};
