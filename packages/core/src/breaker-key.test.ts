import { breakerKeyOf } from './breaker-key';
import { anEmailRequest, anSmsRequest } from './testing';

describe('breakerKeyOf', () => {
  it('keys client-chosen destinations by provider and origin', () => {
    const push = (endpoint: string) =>
      breakerKeyOf('web-push', 'client-a', {
        channel: 'push',
        to: { webPush: { endpoint, keys: { p256dh: 'k', auth: 'a' } } },
        title: 't',
        body: 'b',
      });
    const slack = (webhookUrl: string) =>
      breakerKeyOf('slack', 'client-a', { channel: 'slack', to: { webhookUrl }, text: 'x' });

    expect(push('https://fcm.example.com/send/abc')).toBe(
      'web-push client-a https://fcm.example.com',
    );
    expect(push('https://fcm.example.com:8443/send/abc')).toBe(
      'web-push client-a https://fcm.example.com:8443',
    );
    expect(slack('https://hooks.example.com/services/T/B/X')).toBe(
      'slack client-a https://hooks.example.com',
    );
  });

  it('keeps two clients apart at the same origin', () => {
    const request = {
      channel: 'slack' as const,
      to: { webhookUrl: 'https://hooks.example.com/services/T/B/X' },
      text: 'x',
    };

    expect(breakerKeyOf('slack', 'client-a', request)).not.toBe(
      breakerKeyOf('slack', 'client-b', request),
    );
  });

  it('keys a Slack conversation by provider, client and conversation id', () => {
    const slack = (clientId: string, conversation: string) =>
      breakerKeyOf('slack-bot', clientId, { channel: 'slack', to: { conversation }, text: 'x' });

    expect(slack('client-a', 'C0123')).toBe('slack-bot client-a conversation C0123');
    expect(slack('client-a', 'C0123')).not.toBe(slack('client-b', 'C0123'));
    expect(slack('client-a', 'C0123')).not.toBe(slack('client-a', 'U0456'));
  });

  it('keys operator-run destinations by provider name', () => {
    expect(breakerKeyOf('smtp', 'client-a', anEmailRequest())).toBe('smtp');
    expect(breakerKeyOf('twilio', 'client-a', anSmsRequest())).toBe('twilio');
    expect(
      breakerKeyOf('slack', 'client-a', { channel: 'slack', to: { webhook: 'ops' }, text: 'x' }),
    ).toBe('slack');
    expect(
      breakerKeyOf('sns', 'client-a', {
        channel: 'push',
        to: { snsEndpointArn: 'arn:aws:sns:us-east-1:123456789012:endpoint/APNS/app/id' },
        title: 't',
        body: 'b',
      }),
    ).toBe('sns');
    expect(
      breakerKeyOf('fcm', 'client-a', {
        channel: 'push',
        to: { fcm: { token: 'device-token-aaaaaaaaaaaa' } },
        title: 't',
        body: 'b',
      }),
    ).toBe('fcm');
  });
});
