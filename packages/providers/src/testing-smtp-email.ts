/**
 * Test support for the SMTP email provider suites (`smtp-email-*.test.ts`): a fake transport, a
 * nodemailer-shaped error, and a provider over the fake.
 */
import type { EmailNotificationRequest, OutboundMessage } from '@herald/core';
import { anEmailRequest } from '@herald/core/testing';
import type { SendMailOptions } from 'nodemailer';
import { createSmtpEmailProvider } from './smtp-email';
import type { SmtpMailTransport } from './smtp-email';

/** Records every mail; `behaviour` decides each call's result. */
export class FakeTransport implements SmtpMailTransport {
  readonly sent: SendMailOptions[] = [];
  behaviour: (mail: SendMailOptions) => ReturnType<SmtpMailTransport['sendMail']> = (mail) =>
    Promise.resolve({
      messageId: String(mail.messageId),
      accepted: [],
      rejected: [],
      response: '250 OK',
    });

  sendMail(mail: SendMailOptions) {
    this.sent.push(mail);
    return this.behaviour(mail);
  }
}

/** An Error with the fields nodemailer sets on a failed send. */
export function nodemailerError(fields: {
  message?: string;
  code?: string;
  responseCode?: number;
  command?: string;
  response?: string;
}): Error {
  return Object.assign(new Error(fields.message ?? 'failed'), fields);
}

/** An email message for `notificationId`, the request built by `anEmailRequest(overrides)`. */
export function aMessage(
  overrides: Partial<EmailNotificationRequest> = {},
  notificationId = 'ntf_0123456789abcdefghijklmnop',
): OutboundMessage<EmailNotificationRequest> {
  return { notificationId, request: anEmailRequest(overrides) };
}

/** A provider from `Herald <noreply@herald.test>` over a fresh FakeTransport. */
export function setup(
  opts: { receiptAddress?: string; maxConcurrentSends?: number; sendTimeoutMs?: number } = {},
) {
  const transport = new FakeTransport();
  const provider = createSmtpEmailProvider({
    transport,
    from: 'Herald <noreply@herald.test>',
    messageIdDomain: 'herald.test',
    ...opts,
  });
  return { transport, provider };
}
