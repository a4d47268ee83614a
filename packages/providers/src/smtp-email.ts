import { AppError } from '@herald/core';
import type {
  EmailNotificationRequest,
  Logger,
  OutboundMessage,
  Provider,
  SendResult,
} from '@herald/core';
import type { Address, SendMailOptions } from 'nodemailer';
import { translateSmtpError } from './smtp-error';
import { reportAuthFailure } from './auth-failure';
import { untilAborted } from './until-aborted';
import { createSendSlots } from './send-slots';

/**
 * The slice of a nodemailer transporter this provider uses; the transporter returned by
 * `createSmtpTransport` (or nodemailer's `createTransport`) satisfies it.
 */
export interface SmtpMailTransport {
  sendMail(mail: SendMailOptions): Promise<{
    messageId: string;
    accepted: (string | Address)[];
    rejected: (string | Address)[];
    response: string;
  }>;
}

export interface SmtpEmailProviderOptions {
  transport: SmtpMailTransport;
  /** Header From and envelope sender, e.g. `Herald <noreply@example.com>`. */
  from: string;
  /** Right-hand side of every Message-ID, e.g. `herald.example.com`. */
  messageIdDomain: string;
  /** Where read receipts go when a request asks for one. Default: the `from` address. */
  receiptAddress?: string;
  /** The provider's name in statuses and errors. Default `smtp`. */
  name?: string;
  /** Authentication failures are logged here: only an operator can fix them. */
  logger?: Pick<Logger, 'error'>;
  /**
   * Sends handed to the transport at once: set it to the pool's `maxConnections`, so a send
   * waits for a connection here, where giving up is clean, and not in nodemailer's queue.
   * Default: no limit (the transport queues).
   */
  maxConcurrentSends?: number;
  /**
   * How long a send may hold a connection, counted from when it got one. Without it the caller's
   * `signal` bounds the whole send, queueing included.
   */
  sendTimeoutMs?: number;
}

const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

/**
 * Email over SMTP through an injected nodemailer transport.
 *
 * Every message carries `X-Herald-Notification-Id` and `Message-ID: <notificationId@domain>`.
 * The Message-ID depends on the notification id only, so a resend after a crash carries the same
 * one and receivers can drop the duplicate; it is also the returned `providerMessageId`. When the
 * request sets `receipt`, `Disposition-Notification-To` and `Return-Receipt-To` ask for a read
 * receipt to `receiptAddress` (or `from`). Bcc recipients get the mail but no header naming them.
 * The message's `headers` (the worker's, e.g. `List-Unsubscribe`) are added as given; this
 * provider knows nothing of what they mean.
 *
 * `send` resolves once the server accepted the message for at least one recipient. It throws a
 * ProviderError (see `translateSmtpError` for the table). With `maxConcurrentSends`, a send first
 * waits for a slot; if `signal` aborts meanwhile it throws a retryable `provider_timeout` and the
 * message was never handed to the transport. Once it holds a slot, `sendTimeoutMs` (else
 * `signal`) bounds it: a burst queued behind a slow server no longer eats into the time of the
 * send that finally gets a connection, which used to time out mid-DATA and be delivered anyway
 * (then sent again on retry). A timeout while holding a connection is a retryable
 * `provider_timeout` too, though the server may still have accepted the message.
 *
 * @throws AppError `CONFIG_INVALID` at creation when `from` is empty or `messageIdDomain` is not a
 *   host name.
 */
export function createSmtpEmailProvider(
  opts: SmtpEmailProviderOptions,
): Provider<EmailNotificationRequest> {
  if (opts.from.trim() === '') throw new AppError('CONFIG_INVALID', 'SMTP from address is empty');
  if (!HOSTNAME.test(opts.messageIdDomain)) {
    throw new AppError('CONFIG_INVALID', 'SMTP messageIdDomain must be a host name');
  }
  const name = opts.name ?? 'smtp';
  const slots = createSendSlots(opts.maxConcurrentSends ?? Number.POSITIVE_INFINITY);
  return {
    channel: 'email',
    name,
    async send(message, signal): Promise<SendResult> {
      const messageId = `<${message.notificationId}@${opts.messageIdDomain}>`;
      let release: () => void;
      try {
        release = await slots.acquire(signal);
      } catch (cause) {
        throw translateSmtpError(cause, name, { aborted: true });
      }
      if (signal.aborted) {
        release();
        throw translateSmtpError(signal.reason, name, { aborted: true });
      }
      // The clock starts now that a connection is ours, not when the send was queued.
      const held =
        opts.sendTimeoutMs === undefined ? signal : AbortSignal.timeout(opts.sendTimeoutMs);
      try {
        const mail = { ...toMail(opts, message, messageId), signal: held };
        // nodemailer 10 cancels on `mail.signal` itself, but a transport that ignores the signal
        // (or a send stuck past its own cancellation) must not hold the worker beyond its deadline.
        await untilAborted(opts.transport.sendMail(mail), held, 'SMTP send');
        return { providerMessageId: messageId };
      } catch (cause) {
        throw reportAuthFailure(
          translateSmtpError(cause, name, { aborted: held.aborted }),
          opts.logger,
          message.notificationId,
          'SMTP authentication failed; check the SMTP credentials',
        );
      } finally {
        release();
      }
    },
  };
}

function toMail(
  opts: SmtpEmailProviderOptions,
  { notificationId, request, headers }: OutboundMessage<EmailNotificationRequest>,
  messageId: string,
): SendMailOptions {
  const receiptTo = opts.receiptAddress ?? opts.from;
  return {
    from: opts.from,
    to: request.to,
    cc: request.cc,
    bcc: request.bcc,
    replyTo: request.replyTo,
    subject: request.subject,
    text: request.text,
    html: request.html,
    messageId,
    headers: {
      // The worker's (List-Unsubscribe, …) first: they can never replace Herald's own.
      ...headers,
      'X-Herald-Notification-Id': notificationId,
      ...(request.receipt === true
        ? { 'Disposition-Notification-To': receiptTo, 'Return-Receipt-To': receiptTo }
        : {}),
    },
  };
}
