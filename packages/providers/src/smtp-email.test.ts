import { AppError, ProviderError } from '@herald/core';
import type { EmailNotificationRequest, OutboundMessage } from '@herald/core';
import { anEmailRequest } from '@herald/core/testing';
import type { SendMailOptions } from 'nodemailer';
import { createSmtpEmailProvider } from './smtp-email';
import type { SmtpMailTransport } from './smtp-email';

/** Records every mail; `behaviour` decides each call's result. */
class FakeTransport implements SmtpMailTransport {
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

function nodemailerError(fields: {
  message?: string;
  code?: string;
  responseCode?: number;
  command?: string;
  response?: string;
}): Error {
  return Object.assign(new Error(fields.message ?? 'failed'), fields);
}

function aMessage(
  overrides: Partial<EmailNotificationRequest> = {},
  notificationId = 'ntf_0123456789abcdefghijklmnop',
): OutboundMessage<EmailNotificationRequest> {
  return { notificationId, request: anEmailRequest(overrides) };
}

function setup(
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

const never = () => new AbortController().signal;

async function failureOf(promise: Promise<unknown>): Promise<ProviderError> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ProviderError))
    throw new Error(`expected a ProviderError, got ${String(err)}`);
  return err;
}

describe('createSmtpEmailProvider', () => {
  it('maps the request onto the mail', async () => {
    const { transport, provider } = setup();
    const request = {
      to: ['ada@example.com', 'bob@example.com'],
      cc: 'carol@example.com',
      bcc: ['dave@example.com'],
      replyTo: 'support@example.com',
      subject: 'Hello',
      text: 'plain',
      html: '<p>rich</p>',
    };

    await provider.send(aMessage(request), never());

    expect(transport.sent[0]).toMatchObject({ from: 'Herald <noreply@herald.test>', ...request });
  });

  it('sets the notification id header and a Message-ID derived from it', async () => {
    const { transport, provider } = setup();

    const result = await provider.send(aMessage(), never());

    const mail = transport.sent[0]!;
    expect(mail.messageId).toBe('<ntf_0123456789abcdefghijklmnop@herald.test>');
    expect(mail.headers).toEqual({ 'X-Herald-Notification-Id': 'ntf_0123456789abcdefghijklmnop' });
    expect(result).toEqual({ providerMessageId: '<ntf_0123456789abcdefghijklmnop@herald.test>' });
  });

  it('carries the same Message-ID when the same notification is sent again', async () => {
    const { transport, provider } = setup();

    const first = await provider.send(aMessage(), never());
    const second = await provider.send(aMessage({ subject: 'retry' }), never());

    expect(second.providerMessageId).toBe(first.providerMessageId);
    expect(transport.sent[1]!.messageId).toBe(transport.sent[0]!.messageId);
  });

  it('asks for a read receipt to the from address when the request wants one', async () => {
    const { transport, provider } = setup();

    await provider.send(aMessage({ receipt: true }), never());

    expect(transport.sent[0]!.headers).toMatchObject({
      'Disposition-Notification-To': 'Herald <noreply@herald.test>',
      'Return-Receipt-To': 'Herald <noreply@herald.test>',
    });
  });

  it('sends read receipts to the configured receipt address', async () => {
    const { transport, provider } = setup({ receiptAddress: 'receipts@herald.test' });

    await provider.send(aMessage({ receipt: true }), never());

    expect(transport.sent[0]!.headers).toMatchObject({
      'Disposition-Notification-To': 'receipts@herald.test',
      'Return-Receipt-To': 'receipts@herald.test',
    });
  });

  it('asks for no read receipt unless the request does', async () => {
    const { transport, provider } = setup({ receiptAddress: 'receipts@herald.test' });

    await provider.send(aMessage({ receipt: false }), never());

    expect(Object.keys(transport.sent[0]!.headers ?? {})).toEqual(['X-Herald-Notification-Id']);
  });

  it('passes the abort signal on to the transport', async () => {
    const { transport, provider } = setup();
    const signal = never();

    await provider.send(aMessage(), signal);

    expect(transport.sent[0]!.signal).toBe(signal);
  });

  it.each([
    [
      'a 4xx reply',
      { responseCode: 451, command: 'RCPT TO', response: '451 4.3.0 try later' },
      true,
      'provider_unavailable',
      '451',
    ],
    [
      'a 421 at connect',
      { code: 'ECONNECTION', responseCode: 421, command: 'CONN', response: '421 busy' },
      true,
      'provider_unavailable',
      '421',
    ],
    [
      'a 550 at RCPT TO',
      {
        code: 'EENVELOPE',
        responseCode: 550,
        command: 'RCPT TO',
        response: '550 5.1.1 <ada@example.com> unknown',
      },
      false,
      'recipient_rejected',
      '550',
    ],
    ['a 553 with no command', { responseCode: 553 }, false, 'recipient_rejected', '553'],
    [
      'a 554 at RCPT TO',
      {
        code: 'EENVELOPE',
        responseCode: 554,
        command: 'RCPT TO',
        response: '554 5.7.1 relay denied',
      },
      false,
      'recipient_rejected',
      '554',
    ],
    [
      'a 550 after DATA',
      { code: 'EMESSAGE', responseCode: 550, command: 'DATA', response: '550 5.7.1 spam' },
      false,
      'provider_rejected',
      '550',
    ],
    [
      'a 552 after DATA',
      { code: 'EMESSAGE', responseCode: 552, command: 'DATA', response: '552 too big' },
      false,
      'provider_rejected',
      '552',
    ],
    [
      'a 553 at MAIL FROM',
      {
        code: 'EENVELOPE',
        responseCode: 553,
        command: 'MAIL FROM',
        response: '553 sender not allowed',
      },
      false,
      'provider_rejected',
      '553',
    ],
    [
      'a 503 (bad sequence)',
      { code: 'EPROTOCOL', responseCode: 503, command: 'RSET', response: '503 5.5.1 bad sequence' },
      true,
      'provider_unavailable',
      '503',
    ],
    ['ECONNECTION', { code: 'ECONNECTION' }, true, 'provider_unavailable', 'ECONNECTION'],
    ['ESOCKET', { code: 'ESOCKET' }, true, 'provider_unavailable', 'ESOCKET'],
    ['ETIMEDOUT', { code: 'ETIMEDOUT' }, true, 'provider_unavailable', 'ETIMEDOUT'],
    ['EDNS', { code: 'EDNS' }, true, 'provider_unavailable', 'EDNS'],
    [
      'EAUTH with a 535 reply',
      {
        code: 'EAUTH',
        responseCode: 535,
        command: 'AUTH PLAIN',
        response: '535 5.7.8 bad credentials',
      },
      true,
      'provider_auth_failed',
      '535',
    ],
    ['ENOAUTH', { code: 'ENOAUTH' }, true, 'provider_auth_failed', 'ENOAUTH'],
    [
      'ETLS with a 500 reply to STARTTLS',
      { code: 'ETLS', responseCode: 500, command: 'STARTTLS', response: '500 not recognized' },
      true,
      'provider_unavailable',
      '500',
    ],
    [
      'EENVELOPE without a reply',
      { code: 'EENVELOPE', command: 'API' },
      false,
      'recipient_rejected',
      'EENVELOPE',
    ],
    [
      'EMESSAGE without a reply',
      { code: 'EMESSAGE', command: 'API' },
      false,
      'provider_rejected',
      'EMESSAGE',
    ],
  ] as const)('classifies %s', async (_, fields, retryable, reasonCode, providerCode) => {
    const { transport, provider } = setup();
    transport.behaviour = () => Promise.reject(nodemailerError(fields));

    const err = await failureOf(provider.send(aMessage(), never()));

    expect(err).toMatchObject({
      code: 'PROVIDER_FAILED',
      provider: 'smtp',
      retryable,
      reasonCode,
      providerCode,
    });
  });

  it('treats an error it does not know as retryable', async () => {
    const { transport, provider } = setup();
    transport.behaviour = () => Promise.reject(new TypeError('boom'));

    const err = await failureOf(provider.send(aMessage(), never()));

    expect(err).toMatchObject({
      retryable: true,
      reasonCode: 'provider_unavailable',
      providerCode: undefined,
    });
  });

  it('keeps recipient addresses out of the error message and its cause', async () => {
    const { transport, provider } = setup();
    const rejection = nodemailerError({
      message:
        "Can't send mail - all recipients were rejected: 550 5.1.1 <ada@example.com>: unknown",
      code: 'EENVELOPE',
      responseCode: 550,
      command: 'RCPT TO',
      response: '550 5.1.1 <ada@example.com>: unknown',
    });
    rejection.stack = `Error: ${rejection.message}\n    at f (/app/node_modules/.pnpm/nodemailer@10.6.0/x.js:1:2)`;
    transport.behaviour = () => Promise.reject(rejection);

    const err = await failureOf(provider.send(aMessage(), never()));

    expect(err.message).toBe('SMTP 550 5.1.1 rejected the recipient');
    const cause = err.cause as Error & { response?: string };
    expect(JSON.stringify([cause.message, cause.stack, cause.response])).not.toContain('ada@');
    expect(cause.response).toBe('550 5.1.1 <[redacted]>: unknown');
    expect(cause.stack).toContain('.pnpm/nodemailer@10.6.0/x.js');
  });

  it('throws a retryable timeout when the signal aborts before the server answers', async () => {
    const { transport, provider } = setup();
    transport.behaviour = () => new Promise(() => undefined);
    const controller = new AbortController();

    const sending = failureOf(provider.send(aMessage(), controller.signal));
    controller.abort(new DOMException('deadline', 'TimeoutError'));
    const err = await sending;

    expect(err).toMatchObject({ retryable: true, reasonCode: 'provider_timeout' });
  });

  it('never hands the transport a send whose signal aborted while it waited for a connection', async () => {
    const { transport, provider } = setup({ maxConcurrentSends: 1 });
    let finishFirst = (): void => undefined;
    transport.behaviour = (mail) =>
      new Promise((resolve) => {
        finishFirst = () =>
          resolve({ messageId: String(mail.messageId), accepted: [], rejected: [], response: '' });
      });
    const controller = new AbortController();

    const first = provider.send(aMessage(), never());
    const queued = failureOf(provider.send(aMessage(), controller.signal));
    controller.abort(new DOMException('deadline', 'TimeoutError'));
    const err = await queued;
    finishFirst();
    await first;

    expect(err).toMatchObject({ retryable: true, reasonCode: 'provider_timeout' });
    expect(transport.sent).toHaveLength(1);
  });

  it('times a send from when it holds a connection, not from when it was queued', async () => {
    const { transport, provider } = setup({ maxConcurrentSends: 1, sendTimeoutMs: 60_000 });
    const controller = new AbortController();
    let finish = (): void => undefined;
    transport.behaviour = (mail) =>
      new Promise((resolve) => {
        finish = () =>
          resolve({ messageId: String(mail.messageId), accepted: [], rejected: [], response: '' });
      });

    const sending = provider.send(aMessage(), controller.signal);
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort(new DOMException('deadline', 'TimeoutError'));
    finish();

    await expect(sending).resolves.toMatchObject({
      providerMessageId: expect.any(String) as string,
    });
  });

  it('does not call the transport when the signal has already aborted', async () => {
    const { transport, provider } = setup();

    const err = await failureOf(provider.send(aMessage(), AbortSignal.abort()));

    expect(err).toMatchObject({ retryable: true, reasonCode: 'provider_timeout' });
    expect(transport.sent).toHaveLength(0);
  });

  it('logs authentication failures without the recipient', async () => {
    const logged: object[] = [];
    const transport = new FakeTransport();
    transport.behaviour = () =>
      Promise.reject(nodemailerError({ code: 'EAUTH', responseCode: 535 }));
    const provider = createSmtpEmailProvider({
      transport,
      from: 'noreply@herald.test',
      messageIdDomain: 'herald.test',
      logger: { error: (obj) => logged.push(obj) },
    });

    await failureOf(provider.send(aMessage(), never()));

    expect(logged).toEqual([
      expect.objectContaining({
        provider: 'smtp',
        notificationId: 'ntf_0123456789abcdefghijklmnop',
      }),
    ]);
  });

  it('rejects a Message-ID domain that is not a host name', () => {
    let thrown: unknown;

    try {
      createSmtpEmailProvider({
        transport: new FakeTransport(),
        from: 'noreply@herald.test',
        messageIdDomain: 'bad domain>',
      });
    } catch (err) {
      thrown = err;
    }

    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({ code: 'CONFIG_INVALID' });
  });
});
