/** The SMTP email provider: what it hands the transport, and its options. */
import { never } from './testing-failures';
import { aMessage, FakeTransport, setup } from './testing-smtp-email';
import { createSmtpEmailProvider } from './smtp-email';
import { AppError } from '@herald/core';

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

  it("adds the worker's headers as given, never over its own", async () => {
    const { transport, provider } = setup();
    const headers = {
      'List-Unsubscribe': '<https://herald.test/v1/unsubscribe/tok>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'X-Herald-Notification-Id': 'spoofed',
    };

    await provider.send({ ...aMessage(), headers }, never());

    expect(transport.sent[0]!.headers).toEqual({
      'List-Unsubscribe': '<https://herald.test/v1/unsubscribe/tok>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'X-Herald-Notification-Id': 'ntf_0123456789abcdefghijklmnop',
    });
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
