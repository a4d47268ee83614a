import { createHeraldClient, isHeraldApiError, type HeraldClient } from '@herald/client';
import { startTwilioRecorder, twilioError, type TwilioRecorder } from '@herald/providers/testing';
import { startHeraldStack, type HeraldStack } from './support/herald-stack';

jest.setTimeout(60_000);

const WAIT = { timeoutMs: 20_000 };
const SCOPES = 'notifications:send,notifications:read,audience:read,audience:write';
let stack: HeraldStack;
let client: HeraldClient;
let otherClient: HeraldClient;
let twilio: TwilioRecorder;
/** A number whose owner replied STOP: Twilio refuses sends to it with error 21610. */
const STOPPED = '+15005550009';

beforeAll(async () => {
  twilio = await startTwilioRecorder({
    respond: (req) =>
      req.form.To === STOPPED
        ? twilioError(400, 21610, 'Attempt to send to unsubscribed recipient')
        : undefined,
  });
  stack = await startHeraldStack({
    smtp: { rejectPermanently: (rcpt) => rcpt.toLowerCase().startsWith('gone@') },
    workerEnv: {
      TWILIO_ACCOUNT_SID: 'AC0123456789abcdef0123456789abcdef',
      TWILIO_AUTH_TOKEN: 'e2e-twilio-auth-token-0123456789',
      TWILIO_FROM: '+15005550006',
      TWILIO_API_BASE_URL: twilio.url,
    },
  });
  client = createHeraldClient({
    baseUrl: stack.apiUrl,
    token: await stack.issueToken('supp-shop', SCOPES),
  });
  otherClient = createHeraldClient({
    baseUrl: stack.apiUrl,
    token: await stack.issueToken('supp-other', SCOPES),
  });
});

afterAll(async () => {
  await stack?.stop();
  await twilio?.close();
});

const email = (to: string, text: string) =>
  ({ channel: 'email', to, subject: 'Your receipt', text }) as const;
const delivered = (text: string) => stack.smtp.messages.filter((m) => m.raw.includes(text));

describe('the suppression list, end to end', () => {
  it('suppresses a hard-bounced address for its client only, until DELETE lifts it', async () => {
    const first = await client.sendNotificationAsync(email('Gone@Example.com', 'first'));
    const bounced = await client.waitForStatus(first.id, WAIT);
    expect(bounced.status).toBe('Refused');
    expect(bounced.reason?.code).toBe('recipient_rejected');

    const page = await client.listSuppressions();
    expect(page.items).toEqual([
      {
        address: 'email:gone@example.com',
        reason: 'hard_bounce',
        notificationId: first.id,
        createdAt: expect.any(String) as string,
      },
    ]);
    expect((await otherClient.listSuppressions()).items).toEqual([]);

    const second = await client.sendNotificationAsync(email('gone@example.com', 'second'));
    const refused = await client.waitForStatus(second.id, WAIT);
    expect(refused.status).toBe('Refused');
    expect(refused.reason?.code).toBe('suppressed');
    expect(refused.provider).toBeUndefined();
    expect(delivered('second')).toHaveLength(0);

    // Another client's send to the same address still reaches the provider.
    const theirs = await otherClient.sendNotificationAsync(email('gone@example.com', 'theirs'));
    expect((await otherClient.waitForStatus(theirs.id, WAIT)).reason?.code).toBe(
      'recipient_rejected',
    );

    await client.deleteSuppression('email:GONE@example.com');
    expect((await client.listSuppressions()).items).toEqual([]);
    const missing = await client
      .deleteSuppression('email:gone@example.com')
      .catch((e: unknown) => e);
    expect(isHeraldApiError(missing) && missing.status).toBe(404);

    // Lifted: the next send reaches the SMTP server again (which still refuses it).
    const third = await client.sendNotificationAsync(email('gone@example.com', 'third'));
    expect((await client.waitForStatus(third.id, WAIT)).reason?.code).toBe('recipient_rejected');
  });

  it('suppresses a number Twilio reports opted out (21610) for SMS, not WhatsApp', async () => {
    const sms = { channel: 'sms', to: STOPPED, body: 'Your code is 123456' } as const;
    const first = await client.waitForStatus((await client.sendNotificationAsync(sms)).id, WAIT);
    const second = await client.waitForStatus((await client.sendNotificationAsync(sms)).id, WAIT);

    expect(first.reason?.code).toBe('recipient_opted_out');
    expect(second.reason?.code).toBe('suppressed');
    expect(twilio.requests.filter((r) => r.form.To === STOPPED)).toHaveLength(1);
    const page = await client.listSuppressions();
    expect(page.items.map((e) => [e.address, e.reason])).toContainEqual([
      `sms:${STOPPED}`,
      'opted_out',
    ]);
    expect(page.items.map((e) => e.address)).not.toContain(`whatsapp:${STOPPED}`);
  });
});
