import { createHeraldClient, isHeraldApiError } from '@herald/client';
import { headerOf, parseMail } from '@herald/providers/testing';
import { startHeraldStack, type HeraldStack } from './support/herald-stack';

jest.setTimeout(60_000);

let stack: HeraldStack;

beforeAll(async () => {
  stack = await startHeraldStack({
    smtp: { rejectPermanently: (rcpt) => rcpt.startsWith('bounce@') },
  });
});

afterAll(async () => {
  await stack?.stop();
});

describe('email, end to end through the api and worker processes', () => {
  it('delivers an email over SMTP and reports Delivered', async () => {
    const client = createHeraldClient({
      baseUrl: stack.apiUrl,
      token: await stack.issueToken('shop'),
    });

    const accepted = await client.sendNotificationAsync({
      channel: 'email',
      to: ['ada@example.com', 'grace@example.com'],
      cc: 'ops@example.com',
      bcc: 'audit@example.com',
      subject: 'Your order has shipped',
      text: 'It is on its way.',
      html: '<p>It is on its way.</p>',
      receipt: true,
    });
    const final = await client.waitForStatus(accepted.id, { timeoutMs: 20_000 });

    expect(accepted.status).toBe('Pending');
    expect(final.status).toBe('Delivered');
    expect(final.provider).toBe('smtp');
    expect(final.events.map((e) => e.type)).toEqual([
      'accepted',
      'attempt_started',
      'provider_accepted',
    ]);
    const received = stack.smtp.messages.filter((m) => m.raw.includes(accepted.id));
    expect(received).toHaveLength(1);
    const mail = await parseMail(received[0]!.raw);
    expect(mail.subject).toBe('Your order has shipped');
    expect(mail.text?.trim()).toBe('It is on its way.');
    expect(mail.html).toContain('<p>It is on its way.</p>');
    expect(mail.to?.map((a) => a.address)).toEqual(['ada@example.com', 'grace@example.com']);
    expect(mail.cc?.map((a) => a.address)).toEqual(['ops@example.com']);
    expect(headerOf(mail, 'x-herald-notification-id')).toBe(accepted.id);
    expect(mail.messageId).toBe(final.providerMessageId);
    expect(mail.messageId).toContain(accepted.id);
    expect(headerOf(mail, 'disposition-notification-to')).toContain('noreply@herald.test');
    expect(received[0]!.envelope.to).toContain('audit@example.com');
    expect(headerOf(mail, 'bcc')).toBeUndefined();
  });

  it('ends Refused when the SMTP server rejects the recipient permanently', async () => {
    const client = createHeraldClient({
      baseUrl: stack.apiUrl,
      token: await stack.issueToken('shop'),
    });

    const accepted = await client.sendNotificationAsync({
      channel: 'email',
      to: 'bounce@example.com',
      subject: 'x',
      text: 'y',
    });
    const final = await client.waitForStatus(accepted.id, { timeoutMs: 20_000 });

    expect(final.status).toBe('Refused');
    expect(final.reason?.code).toBe('recipient_rejected');
    expect(final.attempts).toBe(1);
  });

  it('ends Refused with channel_not_configured for a channel without a provider', async () => {
    const client = createHeraldClient({
      baseUrl: stack.apiUrl,
      token: await stack.issueToken('shop'),
    });

    const accepted = await client.sendNotificationAsync({
      channel: 'sms',
      to: '+447400123456',
      body: 'Your code is 123456',
    });
    const final = await client.waitForStatus(accepted.id, { timeoutMs: 20_000 });

    expect(final.status).toBe('Refused');
    expect(final.reason?.code).toBe('channel_not_configured');
  });

  it("never shows one client's notification to another", async () => {
    const a = createHeraldClient({
      baseUrl: stack.apiUrl,
      token: await stack.issueToken('client-a'),
    });
    const b = createHeraldClient({
      baseUrl: stack.apiUrl,
      token: await stack.issueToken('client-b'),
    });
    const accepted = await a.sendNotificationAsync({
      channel: 'email',
      to: 'ada@example.com',
      text: 'secret',
    });

    const error: unknown = await b.getNotificationStatus(accepted.id).catch((e: unknown) => e);
    const listed = await b.listNotifications({});

    expect(isHeraldApiError(error) && error.status).toBe(404);
    expect(listed.items.map((n) => n.id)).not.toContain(accepted.id);
  });

  it('returns the same notification for a retried Idempotency-Key', async () => {
    const client = createHeraldClient({
      baseUrl: stack.apiUrl,
      token: await stack.issueToken('shop'),
    });
    const body = { channel: 'email' as const, to: 'ada@example.com', text: 'once' };

    const first = await client.sendNotificationAsync(body, { idempotencyKey: 'order-7' });
    const second = await client.sendNotificationAsync(body, { idempotencyKey: 'order-7' });
    await client.waitForStatus(first.id, { timeoutMs: 20_000 });

    expect(second).toEqual(first);
    expect(stack.smtp.messages.filter((m) => m.raw.includes(first.id))).toHaveLength(1);
  });

  it('stops honouring a token within seconds of `herald token revoke`', async () => {
    const issued = JSON.parse(
      await stack.cli(['token', 'issue', '--client', 'leaky', '--ttl', '1h', '--json']),
    ) as { token: string; jti: string };
    const client = createHeraldClient({ baseUrl: stack.apiUrl, token: issued.token });
    await client.listNotifications({});

    await stack.cli(['token', 'revoke', issued.jti]);
    let status = 200;
    for (let i = 0; i < 50 && status === 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = (
        await fetch(`${stack.apiUrl}/v1/notifications`, {
          headers: { authorization: `Bearer ${issued.token}` },
        })
      ).status;
    }

    expect(status).toBe(401);
  });
});
