import { parseSuppressionAddress, suppressionAddressesOf } from '../audience/suppression';
import { ProviderError } from '../errors';
import { silentLogger } from '../ports';
import {
  anEmailRequest,
  anSmsRequest,
  FixedClock,
  InMemoryNotificationStore,
  InMemoryQueue,
  InMemorySuppressionList,
  RecordingProvider,
  aDeliverDeps,
} from '../testing';
import { createAcceptNotification } from '../use-cases/accept-notification';
import { createDeliverNotification } from '../use-cases/deliver-notification';
import type { NotificationRequest } from '../schemas/notification-request';

function setup() {
  const store = new InMemoryNotificationStore();
  const clock = new FixedClock();
  const suppressions = new InMemorySuppressionList();
  const email = new RecordingProvider<ReturnType<typeof anEmailRequest>>('email', 'smtp');
  const sms = new RecordingProvider<ReturnType<typeof anSmsRequest>>('sms', 'twilio');
  const accept = createAcceptNotification({
    store,
    queue: new InMemoryQueue(),
    clock,
    logger: silentLogger,
    sweepAfterMs: 60_000,
  });
  const deliver = createDeliverNotification(
    aDeliverDeps(store, clock, { email: [email], sms: [sms] }, { suppressions }),
  );
  async function send(clientId: string, request: NotificationRequest) {
    const { notification } = await accept({ clientId, request });
    await deliver(notification.id);
    const record = store.records.get(notification.id);
    if (!record) throw new Error('not stored');
    return record;
  }
  return { suppressions, email, sms, send };
}

const bounce = () =>
  Promise.reject(
    new ProviderError('smtp', false, 'SMTP 550', { reasonCode: 'recipient_rejected' }),
  );

describe('the suppression list on the delivery path', () => {
  it('adds a hard-bounced address, then refuses the next send to it without a provider call', async () => {
    const { suppressions, email, send } = setup();
    email.behaviour = bounce;
    const first = await send('c1', anEmailRequest({ to: 'Ada@Example.com' }));
    expect(first.reason?.code).toBe('recipient_rejected');
    const page = await suppressions.list('c1');
    expect(page.items).toEqual([
      {
        address: 'email:ada@example.com',
        reason: 'hard_bounce',
        notificationId: first.id,
        createdAt: '2026-01-01T00:00:00.000Z',
      },
    ]);

    const second = await send('c1', anEmailRequest({ to: 'ada@example.com' }));
    expect(second.status).toBe('Refused');
    expect(second.reason?.code).toBe('suppressed');
    expect(email.sent).toHaveLength(1);
  });

  it("never applies one client's list to another client", async () => {
    const { suppressions, email, send } = setup();
    await suppressions.add('c1', {
      address: 'email:ada@example.com',
      reason: 'hard_bounce',
      createdAt: 'x',
    });
    const other = await send('c2', anEmailRequest());
    expect(other.status).toBe('Delivered');
    expect(email.sent).toHaveLength(1);
  });

  it('sends an email without its suppressed addresses, and refuses it when no to address is left', async () => {
    const { suppressions, email, send } = setup();
    await suppressions.add('c1', {
      address: 'email:b@example.com',
      reason: 'hard_bounce',
      createdAt: 'x',
    });
    const partial = await send(
      'c1',
      anEmailRequest({ to: ['a@example.com', 'b@example.com'], cc: 'B@example.com' }),
    );
    expect(partial.status).toBe('Delivered');
    expect(email.sent[0]?.request).toMatchObject({ to: ['a@example.com'] });
    expect(email.sent[0]?.request.cc).toBeUndefined();
    // The stored request is the client's, unchanged.
    expect(partial.request).toMatchObject({ to: ['a@example.com', 'b@example.com'] });

    const none = await send('c1', anEmailRequest({ to: ['b@example.com'], cc: 'a@example.com' }));
    expect(none.reason?.code).toBe('suppressed');
    expect(email.sent).toHaveLength(1);
  });

  it('learns nothing from a rejection of a multi-address email (which address is unknown)', async () => {
    const { suppressions, email, send } = setup();
    email.behaviour = bounce;
    await send('c1', anEmailRequest({ to: ['a@example.com', 'b@example.com'] }));
    expect((await suppressions.list('c1')).items).toEqual([]);
  });

  it('adds an SMS opt-out (Twilio 21610) for SMS only, not for WhatsApp', async () => {
    const { suppressions, sms, send } = setup();
    sms.behaviour = () =>
      Promise.reject(
        new ProviderError('twilio', false, 'opted out', { reasonCode: 'recipient_opted_out' }),
      );
    await send('c1', anSmsRequest());
    const page = await suppressions.list('c1');
    expect(page.items.map((e) => [e.address, e.reason])).toEqual([
      ['sms:+447400123456', 'opted_out'],
    ]);
    const again = await send('c1', anSmsRequest());
    expect(again.reason?.code).toBe('suppressed');
    expect(sms.sent).toHaveLength(1);
    const whatsapp = await suppressions.isSuppressed('c1', ['whatsapp:+447400123456']);
    expect(whatsapp.size).toBe(0);
  });

  it('keeps sending when adding to the list fails (best effort)', async () => {
    const { suppressions, email, send } = setup();
    email.behaviour = bounce;
    suppressions.add = () => Promise.reject(new Error('store down'));
    const record = await send('c1', anEmailRequest());
    expect(record.reason?.code).toBe('recipient_rejected');
  });
});

describe('suppression addresses', () => {
  it('normalises what a client names, and refuses anything else', () => {
    expect(parseSuppressionAddress('email:Ada@Example.COM')).toBe('email:ada@example.com');
    expect(parseSuppressionAddress('sms:+447400123456')).toBe('sms:+447400123456');
    expect(parseSuppressionAddress('whatsapp:+447400123456')).toBe('whatsapp:+447400123456');
    expect(parseSuppressionAddress(`push:${'a'.repeat(43)}`)).toBe(`push:${'a'.repeat(43)}`);
    for (const bad of ['ada@example.com', 'email:nope', 'sms:07700900123', 'push:short', 'x:y', ''])
      expect(parseSuppressionAddress(bad)).toBeUndefined();
  });

  it('covers every address of an email, once each', () => {
    expect(
      suppressionAddressesOf(
        anEmailRequest({ to: ['A@example.com', 'a@example.com'], bcc: 'c@example.com' }),
      ),
    ).toEqual(['email:a@example.com', 'email:c@example.com']);
  });
});
