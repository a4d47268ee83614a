/** The SMTP email provider: how transport failures map to ProviderErrors, and what they reveal. */
import { failureOf, never } from './testing-failures';
import { aMessage, FakeTransport, nodemailerError, setup } from './testing-smtp-email';
import { createSmtpEmailProvider } from './smtp-email';

describe('createSmtpEmailProvider', () => {
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
});
