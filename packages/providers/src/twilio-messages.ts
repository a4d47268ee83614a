import { AppError } from '@herald/core';
import type twilioSdk from 'twilio';
import { lazyRequire } from './lazy-require';

const twilio = lazyRequire<typeof twilioSdk>('twilio');

/** What `createTwilioProvider` asks Twilio's Messages API to send. */
export interface TwilioCreateParams {
  /** E.164, or `whatsapp:+E164` for WhatsApp. */
  to: string;
  from?: string;
  messagingServiceSid?: string;
  body?: string;
  /** A Content API template (`HX…`), for WhatsApp templates. */
  contentSid?: string;
  /** The template's variables as a JSON object string. */
  contentVariables?: string;
  /** Where Twilio POSTs the message's status changes. */
  statusCallback?: string;
}

/**
 * The slice of the Twilio SDK this package uses; the real `client.messages` satisfies it.
 * `create` rejects with the SDK's `RestException` (`status`, `code`, `moreInfo`) or with a
 * network error; `translateTwilioError` turns either into a ProviderError.
 */
export interface TwilioMessages {
  create(p: TwilioCreateParams): Promise<{ sid: string; status?: string }>;
}

export interface TwilioClientOptions {
  accountSid: string;
  authToken: string;
  /**
   * Replaces `https://api.twilio.com` for the Messages API, e.g. a test server at
   * `http://127.0.0.1:PORT`. Region and edge settings (`TWILIO_REGION`/`TWILIO_EDGE`) are then
   * ignored, since they would rewrite this host.
   */
  apiBaseUrl?: string;
}

/**
 * Builds the real Twilio client and returns its Messages API. Makes no request.
 *
 * @throws AppError `CONFIG_INVALID` when the account SID does not start with `AC`, the auth token
 *   is empty, or `apiBaseUrl` is not an http(s) URL.
 */
export function createTwilioClient(opts: TwilioClientOptions): TwilioMessages {
  if (!/^AC\w+$/.test(opts.accountSid)) {
    throw new AppError('CONFIG_INVALID', 'Twilio account SID must start with AC');
  }
  if (opts.authToken === '') throw new AppError('CONFIG_INVALID', 'Twilio auth token is empty');
  const client = twilio()(opts.accountSid, opts.authToken);
  if (opts.apiBaseUrl !== undefined) {
    client.api.baseUrl = checkedBaseUrl(opts.apiBaseUrl);
    // BaseTwilio.request rewrites every host as `product.edge.region.domain` when either is set.
    client.edge = undefined;
    client.region = undefined;
  }
  return client.messages;
}

function checkedBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (cause) {
    throw new AppError('CONFIG_INVALID', 'Twilio apiBaseUrl is not a URL', { cause });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AppError('CONFIG_INVALID', 'Twilio apiBaseUrl must be an http(s) URL');
  }
  return raw.replace(/\/+$/, '');
}
