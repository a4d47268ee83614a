import { deviceIdOf, type DeviceTarget } from './device-target';
import { recipientAddress } from './recipient-address';
import type { DeviceRecord } from './recipient-store';

const device = (target: DeviceTarget, createdAt: string, updatedAt = createdAt): DeviceRecord => ({
  deviceId: deviceIdOf(target),
  target,
  createdAt,
  updatedAt,
});
const FCM: DeviceTarget = { fcm: { token: 'fcm-token-0123456789abcdef' } };
const APNS: DeviceTarget = { apns: { token: 'ab'.repeat(32) } };

describe('recipientAddress', () => {
  const profile = {
    email: 'alice@example.com',
    phone: '+4791234567',
    whatsapp: '+4791234568',
    slack: { userId: 'U024BE7LH' },
  };

  it("takes each channel's address from the profile", () => {
    expect(recipientAddress('email', profile, [])).toEqual({ to: 'alice@example.com' });
    expect(recipientAddress('sms', profile, [])).toEqual({ to: '+4791234567' });
    expect(recipientAddress('whatsapp', profile, [])).toEqual({ to: '+4791234568' });
    expect(recipientAddress('slack', profile, [])).toEqual({ to: { conversation: 'U024BE7LH' } });
    expect(recipientAddress('slack', { slack: { webhook: 'ops' } }, [])).toEqual({
      to: { webhook: 'ops' },
    });
  });

  it('pushes to the device registered (or registered again) last, naming it', () => {
    const devices = [
      device(FCM, '2026-01-01T00:00:00.000Z', '2026-01-03T00:00:00.000Z'),
      device(APNS, '2026-01-02T00:00:00.000Z'),
    ];
    expect(recipientAddress('push', {}, devices)).toEqual({ to: FCM, deviceId: deviceIdOf(FCM) });
  });

  it('has none for a channel the recipient cannot be reached on', () => {
    for (const channel of ['email', 'sms', 'whatsapp', 'slack', 'push'] as const) {
      expect(recipientAddress(channel, { name: 'Nobody' }, [])).toBeUndefined();
    }
  });
});
