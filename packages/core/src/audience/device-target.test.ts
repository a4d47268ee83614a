import {
  deviceIdOf,
  deviceTargetSchema,
  deviceTargetSchemaFor,
  isDeviceId,
  type DeviceTarget,
} from './device-target';

const APNS_TOKEN = 'a'.repeat(64);
const webPush = (endpoint: string, auth = 'tBH'): DeviceTarget => ({
  webPush: { endpoint, keys: { p256dh: 'BNc', auth } },
});

describe('deviceTargetSchema', () => {
  it.each([
    ['web push', webPush('https://push.example.com/abc')],
    ['APNs', { apns: { token: APNS_TOKEN, bundleId: 'com.example.app', environment: 'sandbox' } }],
    ['APNs with the token only', { apns: { token: APNS_TOKEN } }],
    ['FCM', { fcm: { token: 'dXJ4b3Q6APA91bH_example-token-0123456789' } }],
    ['SNS', { snsEndpointArn: 'arn:aws:sns:eu-west-1:123456789012:endpoint/GCM/app/5a4c7f1e' }],
  ])('accepts %s', (_name, target) => {
    expect(deviceTargetSchema.safeParse(target).success).toBe(true);
  });

  it.each([
    ['an APNs token that is not hex', { apns: { token: 'z'.repeat(64) } }],
    [
      'an APNs environment that does not exist',
      { apns: { token: APNS_TOKEN, environment: 'dev' } },
    ],
    ['an FCM token with spaces', { fcm: { token: 'not a token at all, really' } }],
    ['two kinds at once', { fcm: { token: 'x'.repeat(40) }, apns: { token: APNS_TOKEN } }],
    ['an unknown kind', { token: 'abc' }],
    ['web push over http', webPush('http://push.example.com/abc')],
  ])('rejects %s', (_name, target) => {
    expect(deviceTargetSchema.safeParse(target).success).toBe(false);
  });
});

describe('deviceIdOf', () => {
  it('gives the same id for the same device, whatever its other details', () => {
    const first = deviceIdOf({ apns: { token: APNS_TOKEN, environment: 'sandbox' } });
    const again = deviceIdOf({ apns: { token: APNS_TOKEN.toUpperCase() } });

    expect(again).toBe(first);
    expect(deviceIdOf(webPush('https://p.example/1', 'x'))).toBe(
      deviceIdOf(webPush('https://p.example/1', 'y')),
    );
    expect(isDeviceId(first)).toBe(true);
  });

  it('gives different ids to different devices and kinds', () => {
    const ids = new Set([
      deviceIdOf(webPush('https://p.example/1')),
      deviceIdOf(webPush('https://p.example/2')),
      deviceIdOf({ apns: { token: APNS_TOKEN } }),
      deviceIdOf({ fcm: { token: APNS_TOKEN } }),
    ]);

    expect(ids.size).toBe(4);
  });
});

describe('deviceTargetSchemaFor', () => {
  it('picks the schema of the one kind named, so problems are reported per field', () => {
    const input = { apns: { token: 'zz', environment: 'dev' } };

    const result = deviceTargetSchemaFor(input)?.safeParse(input);

    expect(result?.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'apns.environment',
      'apns.token',
    ]);
  });

  it.each([[{}], [{ foo: 1 }], [{ fcm: {}, apns: {} }], ['fcm'], [null], [[{ fcm: {} }]]])(
    'names no schema for %j',
    (input) => {
      expect(deviceTargetSchemaFor(input)).toBeUndefined();
    },
  );
});
