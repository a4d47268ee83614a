import type { OutboundMessage, PushNotificationRequest } from '@herald/core';
import { fcmMessage } from './fcm-message';

const NOW = new Date('2026-01-01T00:00:00.000Z');
const NOW_S = Math.floor(NOW.getTime() / 1_000);

function message(
  extra: Partial<PushNotificationRequest> = {},
): OutboundMessage<PushNotificationRequest> {
  return {
    notificationId: 'ntf_1',
    request: {
      channel: 'push',
      to: { fcm: { token: 'device-token-aaaaaaaaaaaaaaa' } },
      title: 'Build failed',
      body: 'main is red',
      ...extra,
    },
  };
}

describe('fcmMessage', () => {
  it('sends the notification, and data as strings with our url and id winning', () => {
    const body = fcmMessage(
      message({
        url: 'https://ci.example.com/1',
        data: {
          job: 7,
          ok: false,
          name: 'x',
          url: 'mine',
          notificationId: 'theirs',
          nested: { a: 1 },
        },
      }),
      'tok',
      NOW,
    );
    expect(body).toEqual({
      message: {
        token: 'tok',
        notification: { title: 'Build failed', body: 'main is red' },
        data: {
          job: '7',
          ok: 'false',
          name: 'x',
          nested: '{"a":1}',
          url: 'https://ci.example.com/1',
          notificationId: 'ntf_1',
        },
      },
    });
  });

  it("drops FCM's reserved data keys rather than failing the message", () => {
    const { message: m } = fcmMessage(
      message({ data: { from: 'a', 'google.x': 'b', gcm_y: 'c', message_type: 'd', keep: 'e' } }),
      'tok',
      NOW,
    );
    expect(m.data).toEqual({ keep: 'e', notificationId: 'ntf_1' });
  });

  it('sets the Android TTL and APNs expiration from expiresAt, bounded by ttlSeconds', () => {
    const expiresAt = new Date(NOW.getTime() + 90_500).toISOString();
    expect(fcmMessage(message({ expiresAt }), 'tok', NOW).message).toMatchObject({
      android: { ttl: '90s' },
      apns: { headers: { 'apns-expiration': String(NOW_S + 90) } },
    });
    expect(fcmMessage(message({ expiresAt, ttlSeconds: 10 }), 'tok', NOW).message).toMatchObject({
      android: { ttl: '10s' },
    });
  });

  it('uses the topic as the collapse key and maps urgency to priorities', () => {
    expect(
      fcmMessage(message({ topic: 'build-7', urgency: 'high' }), 'tok', NOW).message,
    ).toMatchObject({
      android: { collapse_key: 'build-7', priority: 'HIGH' },
      apns: { headers: { 'apns-collapse-id': 'build-7', 'apns-priority': '10' } },
    });
    expect(fcmMessage(message({ urgency: 'low' }), 'tok', NOW).message).toMatchObject({
      android: { priority: 'NORMAL' },
      apns: { headers: { 'apns-priority': '5' } },
    });
  });

  it('leaves android and apns out when nothing asks for them', () => {
    const { message: m } = fcmMessage(message(), 'tok', NOW);
    expect(m).not.toHaveProperty('android');
    expect(m).not.toHaveProperty('apns');
  });
});
