import { AppError, ProviderError, isAppError } from '@herald/core';
import type {
  OutboundMessage,
  Provider,
  RefusalCode,
  SendResult,
  SlackNotificationRequest,
} from '@herald/core';
import { guardedFetch } from '@herald/guards';
import type { GuardedAgent } from '@herald/guards';

export interface SlackProviderOptions {
  /**
   * Every webhook call goes through this agent (see `createGuardedAgent`): it connects only to
   * addresses its guard allows, the address checked being the one connected to. Configured
   * webhooks too, so outside local mode they must be public https URLs on port 443.
   */
  agent?: GuardedAgent;
  /** Used only without `agent`, for tests. Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Webhooks the operator configured, by name (`to.webhook`) → incoming webhook URL. */
  webhooks?: Record<string, string>;
  /**
   * Checks a client-supplied `to.webhookUrl` before anything is sent to it (with `agent`, the
   * guard's `parse` is enough: the agent checks the addresses); rejects when the URL is not
   * allowed. Configured webhooks are the operator's choice and are not checked here.
   */
  urlGuard?: (url: string) => Promise<unknown>;
  /** The provider's name in statuses and errors. Default `slack`. */
  name?: string;
}

interface Verdict {
  retryable: boolean;
  reasonCode: RefusalCode;
}

/** Slack's error bodies are short snake_case codes; anything else is not quoted. */
const SLACK_CODE = /^[a-z][a-z0-9_]{0,63}$/;
const BODY_BYTES_READ = 256;

/**
 * Slack through incoming webhooks: POSTs `{ text, blocks }` as JSON to `to.webhookUrl` or to the
 * configured webhook named `to.webhook`. Redirects are not followed. Webhook URLs are secrets
 * (whoever has one can post): no message, cause or log names them.
 *
 * `send` resolves once Slack answered 2xx, with `slack:<notificationId>` as the id (webhooks
 * return none). Not idempotent: a resend after a crash posts twice. It throws a ProviderError:
 * - a `conversation` target (that is the bot token's, `createSlackBotProvider`) → permanent
 *   `target_not_supported`;
 * - unknown webhook name → permanent `webhook_not_configured`;
 * - `urlGuard` refused the URL → permanent `webhook_not_allowed` (a ProviderError from the guard
 *   passes through; its AppError `UNAVAILABLE` is retryable `provider_unavailable`);
 * - 404 (`no_service`, `channel_not_found`…) and 410 (`channel_is_archived`…) → permanent
 *   `subscription_gone`, never `deadTarget` (a webhook can come back);
 * - `agent` refused the destination's address or port → permanent `webhook_not_allowed`;
 * - any 3xx, 400, 403 and other 4xx → permanent `provider_rejected`;
 * - 408, 429, 5xx, network and DNS failures → retryable `provider_unavailable`, with one message
 *   for every way of not reaching it (refused, reset, TLS…), so nothing about the network behind
 *   a client's URL leaks into its status;
 * - `signal` aborted → retryable `provider_timeout`.
 *
 * @throws AppError `CONFIG_INVALID` at creation when a configured webhook is not an http(s) URL.
 */
export function createSlackProvider(
  opts: SlackProviderOptions = {},
): Provider<SlackNotificationRequest> {
  const name = opts.name ?? 'slack';
  const webhooks = new Map(Object.entries(opts.webhooks ?? {}));
  for (const [webhook, url] of webhooks) {
    if (!isHttpUrl(url)) {
      throw new AppError('CONFIG_INVALID', `Slack webhook ${webhook} is not an http(s) URL`);
    }
  }
  const doFetch = opts.agent !== undefined ? guardedAsFetch(opts.agent) : (opts.fetch ?? fetch);
  return {
    channel: 'slack',
    name,
    async send(message, signal): Promise<SendResult> {
      const url = await webhookUrl(message.request, { name, webhooks, urlGuard: opts.urlGuard });
      let res: Response;
      try {
        res = await doFetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: payload(message),
          redirect: 'manual',
          signal,
        });
      } catch (cause) {
        throw networkError(name, cause, signal.aborted);
      }
      if (res.ok) {
        await res.body?.cancel().catch(() => undefined);
        return { providerMessageId: `slack:${message.notificationId}` };
      }
      throw await answerError(name, res);
    },
  };
}

function payload({ request }: OutboundMessage<SlackNotificationRequest>): string {
  return JSON.stringify({
    text: request.text,
    ...(request.blocks === undefined ? {} : { blocks: request.blocks }),
  });
}

async function webhookUrl(
  request: SlackNotificationRequest,
  ctx: {
    name: string;
    webhooks: Map<string, string>;
    urlGuard: SlackProviderOptions['urlGuard'];
  },
): Promise<string> {
  const { to } = request;
  if ('conversation' in to) {
    throw new ProviderError(ctx.name, false, 'Slack webhooks cannot post to a conversation id', {
      reasonCode: 'target_not_supported',
    });
  }
  if ('webhook' in to) {
    const url = ctx.webhooks.get(to.webhook);
    if (url !== undefined) return url;
    throw new ProviderError(ctx.name, false, `Slack webhook ${to.webhook} is not configured`, {
      reasonCode: 'webhook_not_configured',
    });
  }
  try {
    await ctx.urlGuard?.(to.webhookUrl);
  } catch (cause) {
    if (cause instanceof ProviderError) throw cause;
    const transient = !(cause instanceof AppError) || cause.code === 'UNAVAILABLE';
    throw new ProviderError(
      ctx.name,
      transient,
      transient ? 'Slack webhook URL could not be checked' : 'Slack webhook URL is not allowed',
      { cause, reasonCode: transient ? 'provider_unavailable' : 'webhook_not_allowed' },
    );
  }
  return to.webhookUrl;
}

/** A fetch-shaped POST through the guarded agent, redirects returned as they are. */
function guardedAsFetch(agent: GuardedAgent): typeof fetch {
  const post = async (url: string, init: RequestInit): Promise<Response> => {
    const res = await guardedFetch(
      agent,
      url,
      {
        method: 'POST',
        headers: init.headers as Record<string, string>,
        body: init.body as string,
        ...(init.signal ? { signal: init.signal } : {}),
      },
      { maxRedirects: 0, maxBodyBytes: BODY_BYTES_READ },
    );
    const empty = res.status === 204 || res.status === 205 || res.status === 304;
    return new Response(empty ? null : res.bodyText, { status: res.status });
  };
  return post as typeof fetch;
}

function networkError(name: string, cause: unknown, aborted: boolean): ProviderError {
  if (isAppError(cause) && cause.code === 'VALIDATION_FAILED') {
    return new ProviderError(name, false, 'Slack webhook URL is not allowed', {
      cause,
      reasonCode: 'webhook_not_allowed',
    });
  }
  const code = networkCode(cause);
  return aborted
    ? new ProviderError(name, true, 'Slack did not answer before the deadline', {
        reasonCode: 'provider_timeout',
      })
    : new ProviderError(name, true, 'Slack webhook could not be reached', {
        // fetch's own errors can quote the URL; keep only the code, for logs, not for statuses.
        cause: Object.assign(new Error('Slack webhook request failed'), code ? { code } : {}),
        reasonCode: 'provider_unavailable',
      });
}

async function answerError(name: string, res: Response): Promise<ProviderError> {
  const body = await firstBytes(res);
  const slackCode = SLACK_CODE.test(body) ? body : undefined;
  const verdict = classify(res);
  const status = res.type === 'opaqueredirect' ? 'a redirect' : String(res.status);
  return new ProviderError(
    name,
    verdict.retryable,
    `Slack webhook answered ${status}${slackCode === undefined ? '' : ` (${slackCode})`}`,
    { reasonCode: verdict.reasonCode, providerCode: slackCode ?? String(res.status) },
  );
}

function classify(res: Response): Verdict {
  const { status } = res;
  if (res.type === 'opaqueredirect' || (status >= 300 && status < 400)) {
    return { retryable: false, reasonCode: 'provider_rejected' };
  }
  if (status === 404 || status === 410)
    return { retryable: false, reasonCode: 'subscription_gone' };
  if (status === 408 || status === 429 || status >= 500) {
    return { retryable: true, reasonCode: 'provider_unavailable' };
  }
  return { retryable: false, reasonCode: 'provider_rejected' };
}

/** The start of an error body: enough for Slack's code, bounded whatever the server sends. */
async function firstBytes(res: Response): Promise<string> {
  const reader: ReadableStreamDefaultReader<Uint8Array> | undefined = res.body?.getReader();
  if (reader === undefined) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < BODY_BYTES_READ) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    return '';
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, BODY_BYTES_READ).toString('utf8').trim();
}

function networkCode(cause: unknown, depth = 0): string | undefined {
  if (typeof cause !== 'object' || cause === null || depth > 3) return undefined;
  const { code, cause: inner } = cause as { code?: unknown; cause?: unknown };
  if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code)) return code;
  return networkCode(inner, depth + 1);
}

function isHttpUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}
