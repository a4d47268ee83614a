import { AppError } from '@herald/core';
import type {
  Logger,
  OutboundMessage,
  Provider,
  SendResult,
  SmsNotificationRequest,
  WhatsappNotificationRequest,
} from '@herald/core';
import { translateTwilioError } from './twilio-error';
import type { TwilioCreateParams, TwilioMessages } from './twilio-messages';
import { reportAuthFailure } from './auth-failure';
import { untilAborted } from './until-aborted';

/** The requests a Twilio provider sends, by channel. */
export type TwilioRequest = SmsNotificationRequest | WhatsappNotificationRequest;
export type TwilioChannel = TwilioRequest['channel'];

export interface TwilioProviderOptions<C extends TwilioChannel = TwilioChannel> {
  /** `client.messages` from `createTwilioClient`, or a fake in tests. */
  messages: TwilioMessages;
  channel: C;
  /** Sender number in E.164 (or an alphanumeric sender id). WhatsApp gets `whatsapp:` added. */
  from?: string;
  /** A Messaging Service (`MG…`) that picks the sender. Either this or `from` is required. */
  messagingServiceSid?: string;
  /**
   * The status callback URL for a notification, e.g. the api's `/v1/providers/twilio/status`
   * with the id in the query. When it returns a URL, `send` reports `awaitingReceipt`.
   */
  statusCallbackUrl?: (notificationId: string) => string | undefined;
  /** The provider's name in statuses and errors. Default `twilio`. */
  name?: string;
  /** Authentication failures are logged here: only an operator can fix them. */
  logger?: Pick<Logger, 'error'>;
}

const WHATSAPP = 'whatsapp:';

/**
 * SMS or WhatsApp through Twilio's Messages API, one provider per channel.
 *
 * SMS goes to the E.164 number as is; WhatsApp goes `whatsapp:+E164` from `whatsapp:<from>`
 * (unless `from` already has the prefix), with either the body or, for a template, `contentSid`
 * and `contentVariables` as JSON. `providerMessageId` is Twilio's message SID. With a
 * `statusCallbackUrl` for the notification, Twilio is asked to POST status changes there and the
 * result says `awaitingReceipt`.
 *
 * Twilio has no idempotency key: a resend after a crash sends a second message. `send` throws a
 * ProviderError (see `translateTwilioError`); when `signal` aborts first it throws a retryable
 * `provider_timeout`, though Twilio may still have accepted the message.
 *
 * @throws AppError `CONFIG_INVALID` at creation when neither `from` nor `messagingServiceSid` is
 *   set.
 */
export function createTwilioProvider(
  opts: TwilioProviderOptions<'sms'>,
): Provider<SmsNotificationRequest>;
export function createTwilioProvider(
  opts: TwilioProviderOptions<'whatsapp'>,
): Provider<WhatsappNotificationRequest>;
export function createTwilioProvider(opts: TwilioProviderOptions): Provider<TwilioRequest>;
export function createTwilioProvider(opts: TwilioProviderOptions): Provider<TwilioRequest> {
  if (isBlank(opts.from) && isBlank(opts.messagingServiceSid)) {
    throw new AppError('CONFIG_INVALID', 'Twilio needs a from number or a messagingServiceSid');
  }
  const name = opts.name ?? 'twilio';
  return {
    channel: opts.channel,
    name,
    async send(message, signal): Promise<SendResult> {
      if (signal.aborted) throw translateTwilioError(signal.reason, name, { aborted: true });
      const statusCallback = opts.statusCallbackUrl?.(message.notificationId);
      try {
        const params = toParams(opts, message, statusCallback);
        // The SDK takes no AbortSignal, so the worker's deadline is enforced by racing it.
        const res = await untilAborted(opts.messages.create(params), signal, 'Twilio send');
        return statusCallback === undefined
          ? { providerMessageId: res.sid }
          : { providerMessageId: res.sid, awaitingReceipt: true };
      } catch (cause) {
        throw reportAuthFailure(
          translateTwilioError(cause, name, { aborted: signal.aborted }),
          opts.logger,
          message.notificationId,
          'Twilio authentication failed; check the account SID and auth token',
        );
      }
    },
  };
}

function toParams(
  opts: TwilioProviderOptions,
  { request }: OutboundMessage<TwilioRequest>,
  statusCallback: string | undefined,
): TwilioCreateParams {
  const whatsapp = request.channel === 'whatsapp';
  const from = isBlank(opts.from) ? undefined : opts.from;
  return {
    to: whatsapp ? `${WHATSAPP}${request.to}` : request.to,
    ...(from !== undefined ? { from: whatsapp ? withWhatsappPrefix(from) : from } : {}),
    ...(!isBlank(opts.messagingServiceSid)
      ? { messagingServiceSid: opts.messagingServiceSid }
      : {}),
    ...contentOf(request),
    ...(statusCallback !== undefined ? { statusCallback } : {}),
  };
}

function contentOf(
  request: TwilioRequest,
): Pick<TwilioCreateParams, 'body' | 'contentSid' | 'contentVariables'> {
  if (request.channel === 'sms' || request.template === undefined) return { body: request.body };
  const { contentSid, variables } = request.template;
  return {
    contentSid,
    ...(variables !== undefined ? { contentVariables: JSON.stringify(variables) } : {}),
  };
}

function withWhatsappPrefix(from: string): string {
  return from.startsWith(WHATSAPP) ? from : `${WHATSAPP}${from}`;
}

function isBlank(value: string | undefined): boolean {
  return value === undefined || value.trim() === '';
}
