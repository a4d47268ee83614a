import { targetKeyOf } from '../target-key';
import { notificationRequestSchema } from './notification-request';
import type { PushNotificationRequest } from './push';

const TOKEN = 'ab'.repeat(32);

const aPush = (apns: Record<string, unknown>) => ({
  channel: 'push',
  to: { apns },
  title: 'Beam is back',
  subtitle: 'Linac',
  body: 'Injection resumed',
});

describe('the apns push target', () => {
  it('takes a hex token with an optional bundle id and environment', () => {
    const parsed = notificationRequestSchema.safeParse(
      aPush({ token: TOKEN.toUpperCase(), bundleId: 'org.example.notify', environment: 'sandbox' }),
    );

    expect(parsed.success).toBe(true);
  });

  it('refuses a short or non-hex token, a bad bundle id, an unknown environment or extra keys', () => {
    const cases = [
      { token: 'ab'.repeat(31) },
      { token: `${TOKEN}zz` },
      { token: `${TOKEN}a` },
      { token: TOKEN, bundleId: 'app' },
      { token: TOKEN, environment: 'development' },
      { token: TOKEN, topic: 'x' },
    ];

    const results = cases.map((apns) => notificationRequestSchema.safeParse(aPush(apns)).success);

    expect(results).toEqual([false, false, false, false, false, false]);
  });

  it('keys a dead token per environment, whatever the case of its hex', () => {
    const key = (apns: PushNotificationRequest['to']) =>
      targetKeyOf({ channel: 'push', to: apns, title: 't', body: 'b' });

    expect(key({ apns: { token: TOKEN } })).toBe(key({ apns: { token: TOKEN.toUpperCase() } }));
    expect(key({ apns: { token: TOKEN, environment: 'sandbox' } })).not.toBe(
      key({ apns: { token: TOKEN, environment: 'production' } }),
    );
  });
});
