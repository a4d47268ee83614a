import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { ProviderError } from '@herald/core';
import type { EmailNotificationRequest, OutboundMessage } from '@herald/core';
import { anEmailRequest } from '@herald/core/testing';
import { createSmtpEmailProvider } from './smtp-email';
import { createSmtpTransport } from './smtp-transport';
import { headerOf, parseMail, startRecordingSmtpServer } from './testing';
import type { RecordingSmtpServer } from './testing';
import { failureOf, never } from './testing-failures';

function aMessage(
  notificationId: string,
  overrides: Partial<EmailNotificationRequest> = {},
): OutboundMessage<EmailNotificationRequest> {
  return { notificationId, request: anEmailRequest(overrides) };
}

/** A port nobody listens on: bind one, note it, close it. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('SMTP email provider against a real SMTP server', () => {
  let server: RecordingSmtpServer;
  let transport: ReturnType<typeof createSmtpTransport>;
  let provider: ReturnType<typeof createSmtpEmailProvider>;

  beforeAll(async () => {
    server = await startRecordingSmtpServer({
      rejectPermanently: (rcpt) => rcpt.startsWith('reject5xx@'),
      rejectTemporarily: (rcpt) => rcpt.startsWith('busy@'),
    });
    transport = createSmtpTransport(server.url, { pool: true });
    provider = createSmtpEmailProvider({
      transport,
      from: 'Herald <noreply@herald.test>',
      messageIdDomain: 'herald.test',
      receiptAddress: 'receipts@herald.test',
    });
  });

  afterAll(async () => {
    transport.close();
    await server.close();
  });

  it('delivers the message with its headers, and Bcc only in the envelope', async () => {
    const id = 'ntf_int00000000000000000000001';
    const before = server.messages.length;

    const result = await provider.send(
      aMessage(id, {
        to: ['ada@example.com', 'bob@example.com'],
        cc: 'carol@example.com',
        bcc: 'dave@example.com',
        subject: 'Your receipt – №42',
        text: 'Thanks for your order.',
        html: '<p>Thanks for your <b>order</b>.</p>',
        receipt: true,
      }),
      never(),
    );

    const recorded = (await server.waitForMessages(before + 1))[before]!;
    const mail = await parseMail(recorded.raw);
    expect(result.providerMessageId).toBe(`<${id}@herald.test>`);
    expect(recorded.envelope).toEqual({
      from: 'noreply@herald.test',
      to: ['ada@example.com', 'bob@example.com', 'carol@example.com', 'dave@example.com'],
    });
    expect(mail.subject).toBe('Your receipt – №42');
    expect(mail.text?.trim()).toBe('Thanks for your order.');
    expect(mail.html?.trim()).toBe('<p>Thanks for your <b>order</b>.</p>');
    expect(mail.to?.map((a) => a.address)).toEqual(['ada@example.com', 'bob@example.com']);
    expect(mail.cc?.map((a) => a.address)).toEqual(['carol@example.com']);
    expect(mail.messageId).toBe(`<${id}@herald.test>`);
    expect(headerOf(mail, 'X-Herald-Notification-Id')).toBe(id);
    expect(headerOf(mail, 'Disposition-Notification-To')).toBe('receipts@herald.test');
    expect(headerOf(mail, 'Bcc')).toBeUndefined();
    expect(recorded.raw.toString('utf8')).not.toContain('dave@example.com');
  });

  it('delivers when only some recipients are refused', async () => {
    const before = server.messages.length;

    await provider.send(
      aMessage('ntf_int00000000000000000000002', {
        to: ['reject5xx@example.com', 'ada@example.com'],
      }),
      never(),
    );

    const recorded = (await server.waitForMessages(before + 1))[before]!;
    expect(recorded.envelope.to).toEqual(['ada@example.com']);
  });

  it('refuses for good when the server answers 550 for the only recipient', async () => {
    const err = await failureOf(
      provider.send(
        aMessage('ntf_int00000000000000000000003', { to: 'reject5xx@example.com' }),
        never(),
      ),
    );

    expect(err).toMatchObject({
      retryable: false,
      reasonCode: 'recipient_rejected',
      providerCode: '550',
    });
    expect(err.message).toBe('SMTP 550 5.1.1 rejected the recipient');
  });

  it('retries when the server answers 451', async () => {
    const err = await failureOf(
      provider.send(
        aMessage('ntf_int00000000000000000000004', { to: 'busy@example.com' }),
        never(),
      ),
    );

    expect(err).toMatchObject({
      retryable: true,
      reasonCode: 'provider_unavailable',
      providerCode: '451',
    });
    expect(err.message).not.toContain('busy@');
  });

  it('retries when nothing listens on the port', async () => {
    const down = createSmtpTransport(`smtp://127.0.0.1:${await closedPort()}`, { pool: false });
    const unreachable = createSmtpEmailProvider({
      transport: down,
      from: 'noreply@herald.test',
      messageIdDomain: 'herald.test',
    });

    const err = await failureOf(
      unreachable.send(aMessage('ntf_int00000000000000000000005'), never()),
    );
    down.close();

    expect(err).toMatchObject({ retryable: true, reasonCode: 'provider_unavailable' });
  });
});

describe('SMTP email provider with a busy pool and a slow server', () => {
  let server: RecordingSmtpServer;

  beforeEach(async () => {
    server = await startRecordingSmtpServer({ delayMs: 400 });
  });

  afterEach(async () => {
    await server.close();
  });

  it('never reports failed a message the server got: the timeout runs only while a connection is held', async () => {
    const transport = createSmtpTransport(server.url, { pool: true, maxConnections: 1 });
    const provider = createSmtpEmailProvider({
      transport,
      from: 'noreply@herald.test',
      messageIdDomain: 'herald.test',
      maxConcurrentSends: 1,
      sendTimeoutMs: 700,
    });
    const ids = [1, 2, 3, 4].map((n) => `ntf_burst000000000000000000${n}`);

    // Each send gets the worker's deadline (700 ms from the call), as deliverNotification gives it.
    const outcomes = await Promise.all(
      ids.map((id) =>
        provider.send(aMessage(id), AbortSignal.timeout(700)).then(
          () => 'sent',
          (err: ProviderError) => err.reasonCode,
        ),
      ),
    );
    // Anything still in flight at the server lands within its delay.
    await new Promise((resolve) => setTimeout(resolve, 600));
    transport.close();

    const received = ids.filter((id) => server.messages.some((m) => m.raw.includes(id)));
    const failedButReceived = received.filter((id) => outcomes[ids.indexOf(id)] !== 'sent');
    expect(failedButReceived).toEqual([]);
    expect(outcomes).toEqual(['sent', 'sent', 'provider_timeout', 'provider_timeout']);
    expect(received).toEqual(ids.slice(0, 2));
  });
});
