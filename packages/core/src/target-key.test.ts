import { targetKeyOf } from './target-key';
import { anEmailRequest } from './testing';

describe('targetKeyOf', () => {
  const fcm = (token: string) =>
    targetKeyOf({ channel: 'push', to: { fcm: { token } }, title: 't', body: 'b' });

  it('keys an FCM token, hashed, the same way every time', () => {
    const key = fcm('device-token-aaaaaaaaaaaa');

    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(key).not.toContain('device-token');
    expect(fcm('device-token-aaaaaaaaaaaa')).toBe(key);
    expect(fcm('device-token-bbbbbbbbbbbb')).not.toBe(key);
  });

  it('never confuses an FCM token with an SNS endpoint of the same text', () => {
    const arn = 'arn:aws:sns:us-east-1:123456789012:endpoint/GCM/app/id';
    const sns = targetKeyOf({
      channel: 'push',
      to: { snsEndpointArn: arn },
      title: 't',
      body: 'b',
    });

    expect(sns).not.toBe(fcm(arn));
  });

  it('tracks push targets only', () => {
    expect(targetKeyOf(anEmailRequest())).toBeUndefined();
  });
});
