import { createCircuitBreakers } from '../circuit-breaker';
import { ProviderError } from '../errors';
import { silentLogger } from '../ports';
import { DEFAULT_RETRY_POLICY } from '../retry-policy';
import type { NotificationRequest } from '../schemas/notification-request';
import {
  anSmsRequest,
  FixedClock,
  InMemoryDeadTargets,
  InMemoryNotificationStore,
  InMemoryQueue,
  RecordingProvider,
  aDeliverDeps,
} from '../testing';
import type { Pacer } from '../token-bucket';
import { createAcceptNotification } from './accept-notification';
import { createDeliverNotification, type DeliverDeps } from './deliver-notification';

const COOLDOWN_MS = 30_000;

const pushTo = (endpoint: string): NotificationRequest => ({
  channel: 'push',
  to: { webPush: { endpoint, keys: { p256dh: 'k', auth: 'a' } } },
  title: 'Hi',
  body: 'There',
});

const endpointOf = (r: NotificationRequest) =>
  r.channel === 'push' && 'webPush' in r.to ? r.to.webPush.endpoint : '';

function setup(overrides: Partial<DeliverDeps> = {}) {
  const store = new InMemoryNotificationStore();
  const clock = new FixedClock();
  const sms = new RecordingProvider<NotificationRequest>('sms', 'twilio');
  const push = new RecordingProvider<NotificationRequest>('push', 'web-push');
  const breakers = createCircuitBreakers({ failureThreshold: 3, cooldownMs: COOLDOWN_MS, clock });
  const accept = createAcceptNotification({
    store,
    queue: new InMemoryQueue(),
    clock,
    logger: silentLogger,
    sweepAfterMs: 60_000,
  });
  const deps = aDeliverDeps(
    store,
    clock,
    { sms: [sms], push: [push] },
    {
      retryPolicy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 8 },
      breakers,
      random: () => 0.5,
      ...overrides,
    },
  );
  const deliver = createDeliverNotification(deps);
  const send = async (clientId: string, request: NotificationRequest = anSmsRequest()) =>
    deliver((await accept({ clientId, request })).notification.id);
  /** Three transient failures in a row open twilio's circuit; then the cooldown passes. */
  const openTwilioAndWait = async () => {
    sms.behaviour = () => transient('twilio');
    for (let i = 0; i < 3; i++) await send('a');
    sms.sent.length = 0;
    clock.advance(COOLDOWN_MS);
  };
  return { store, clock, sms, push, breakers, send, openTwilioAndWait };
}

const transient = (name: string) =>
  Promise.reject(
    new ProviderError(name, true, `${name} answered 503`, { reasonCode: 'provider_unavailable' }),
  );
const permanent = (name: string, deadTarget = false) =>
  Promise.reject(
    new ProviderError(name, false, `${name} answered 400`, {
      reasonCode: 'provider_rejected',
      deadTarget,
    }),
  );
const delivered = () => Promise.resolve({ providerMessageId: 'ok' });

describe('circuit breakers in delivery', () => {
  it('skip a provider whose circuit is open until the cooldown has passed', async () => {
    const { sms, send, clock } = setup();
    sms.behaviour = () => transient('twilio');
    for (let i = 0; i < 3; i++) await send('a');
    sms.behaviour = delivered;

    const during = await send('a');
    clock.advance(COOLDOWN_MS);
    const after = await send('a');

    expect(during.kind).toBe('retry-later');
    expect(sms.sent).toHaveLength(4);
    expect(after).toEqual({ kind: 'done', status: 'Delivered' });
  });

  it('close the circuit when the trial call ends in a permanent error', async () => {
    const { sms, send, openTwilioAndWait } = setup();
    await openTwilioAndWait();
    sms.behaviour = () => permanent('twilio');

    const trial = await send('a');
    sms.behaviour = delivered;
    const next = await send('b');

    expect(trial).toEqual({ kind: 'done', status: 'Refused' });
    expect(next).toEqual({ kind: 'done', status: 'Delivered' });
    expect(sms.sent).toHaveLength(2);
  });

  it('free the trial when the provider does not support the target', async () => {
    const { sms, send, openTwilioAndWait } = setup();
    await openTwilioAndWait();
    sms.behaviour = () =>
      Promise.reject(
        new ProviderError('twilio', false, 'not for this target', {
          reasonCode: 'target_not_supported',
        }),
      );

    await send('a');
    sms.behaviour = delivered;
    const next = await send('b');

    expect(next).toEqual({ kind: 'done', status: 'Delivered' });
  });

  it('free the trial when pacing defers it', async () => {
    let defer = true;
    const pacer: Pacer = {
      reserve: () => 0,
      schedule: () => ({ waitMs: defer ? 60_000 : 0, reserved: !defer }),
    };
    const { sms, send, openTwilioAndWait } = setup({ pacer });
    await openTwilioAndWait();
    sms.behaviour = delivered;

    const paced = await send('a');
    defer = false;
    const next = await send('b');

    expect(paced).toEqual({ kind: 'retry-later', delayMs: 60_000 });
    expect(next).toEqual({ kind: 'done', status: 'Delivered' });
  });

  it('close the circuit on a permanent trial error even when recording the dead target throws', async () => {
    const deadTargets = new InMemoryDeadTargets();
    deadTargets.markDead = () => Promise.reject(new Error('store down'));
    const { push, send, clock } = setup({ deadTargets });
    const endpoint = 'https://push.example/sub/1';
    push.behaviour = () => transient('web-push');
    for (let i = 0; i < 3; i++) await send('a', pushTo(endpoint));
    clock.advance(COOLDOWN_MS);
    push.behaviour = () => permanent('web-push', true);

    await expect(send('a', pushTo(endpoint))).rejects.toThrow('store down');
    push.behaviour = delivered;
    const next = await send('b', pushTo('https://push.example/sub/2'));

    expect(next).toEqual({ kind: 'done', status: 'Delivered' });
  });

  it('re-open the circuit for a full cooldown when the trial fails transiently', async () => {
    const { sms, send, clock, openTwilioAndWait } = setup();
    await openTwilioAndWait();

    await send('a');
    sms.behaviour = delivered;
    clock.advance(COOLDOWN_MS - 1);
    const during = await send('b');
    clock.advance(1);
    const after = await send('b');

    expect(during.kind).toBe('retry-later');
    expect(after).toEqual({ kind: 'done', status: 'Delivered' });
  });

  it("keep one client's failing push endpoint from stopping another client's pushes", async () => {
    const { push, send } = setup();
    push.behaviour = (m) =>
      endpointOf(m.request).startsWith('https://a.example/') ? transient('web-push') : delivered();
    for (let i = 0; i < 5; i++) await send('client-a', pushTo(`https://a.example/sub/${i}`));

    const b = await Promise.all(
      [1, 2, 3].map((i) => send('client-b', pushTo(`https://b.example:8443/sub/${i}`))),
    );
    const aAgain = await send('client-a', pushTo('https://a.example/sub/9'));

    expect(b).toEqual(Array(3).fill({ kind: 'done', status: 'Delivered' }));
    expect(aAgain.kind).toBe('retry-later');
    expect(push.sent.filter((m) => endpointOf(m.request).includes('a.example'))).toHaveLength(3);
  });
});
