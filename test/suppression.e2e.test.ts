import { createHeraldClient, isHeraldApiError, type HeraldClient } from '@herald/client';
import { startHeraldStack, type HeraldStack } from './support/herald-stack';

jest.setTimeout(60_000);

const WAIT = { timeoutMs: 20_000 };
const SCOPES = 'notifications:send,notifications:read,audience:read,audience:write';
let stack: HeraldStack;
let client: HeraldClient;
let otherClient: HeraldClient;

beforeAll(async () => {
  stack = await startHeraldStack({
    smtp: { rejectPermanently: (rcpt) => rcpt.toLowerCase().startsWith('gone@') },
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
});
