import { notificationRequestSchema } from './notification-request';

const parse = (v: unknown) => notificationRequestSchema.safeParse(v);

describe('notificationRequestSchema', () => {
  it('accepts an email with a list of recipients, cc, bcc and html only', () => {
    expect(
      parse({
        channel: 'email',
        to: ['a@example.com', 'b@example.com'],
        cc: 'c@example.com',
        bcc: ['d@example.com'],
        html: '<p>hi</p>',
        receipt: true,
        metadata: { order: '42' },
      }).success,
    ).toBe(true);
  });

  it.each([
    ['no text or html', { channel: 'email', to: 'a@example.com', subject: 's' }],
    [
      'more than 50 recipients',
      {
        channel: 'email',
        to: Array.from({ length: 51 }, (_, i) => `u${i}@example.com`),
        text: 't',
      },
    ],
    [
      'a CR/LF in the subject',
      { channel: 'email', to: 'a@example.com', subject: 'x\r\nBcc: evil@example.com', text: 't' },
    ],
    [
      'an unknown field',
      { channel: 'email', to: 'a@example.com', text: 't', from: 'me@example.com' },
    ],
    [
      'more than 20 metadata keys',
      {
        channel: 'email',
        to: 'a@example.com',
        text: 't',
        metadata: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v'])),
      },
    ],
    ['an sms number not in E.164', { channel: 'sms', to: '07700 900123', body: 'hi' }],
    ['an empty sms body', { channel: 'sms', to: '+447400123456', body: '' }],
    [
      'a push target that is neither web push nor SNS',
      { channel: 'push', to: { token: 'abc' }, title: 't', body: 'b' },
    ],
    [
      'a web push endpoint over http',
      {
        channel: 'push',
        to: {
          webPush: { endpoint: 'http://push.example.com/x', keys: { p256dh: 'k', auth: 'a' } },
        },
        title: 't',
        body: 'b',
      },
    ],
    [
      'a javascript: push url',
      {
        channel: 'push',
        to: { snsEndpointArn: 'arn:aws:sns:eu-west-1:123456789012:endpoint/GCM/herald/abc' },
        title: 't',
        body: 'b',
        url: 'javascript:alert(1)',
      },
    ],
    [
      'an FCM token with spaces',
      {
        channel: 'push',
        to: { fcm: { token: 'not a token at all, really' } },
        title: 't',
        body: 'b',
      },
    ],
    [
      'an FCM target with extra fields',
      {
        channel: 'push',
        to: { fcm: { token: 'fMEP0vJqS0aW1b2c3d4e:APA91bH', bundleId: 'x' } },
        title: 't',
        body: 'b',
      },
    ],
    ['a Slack channel name', { channel: 'slack', to: { conversation: '#general' }, text: 'x' }],
    ['a lower-case Slack id', { channel: 'slack', to: { conversation: 'u0123abc' }, text: 'x' }],
  ])('rejects %s', (_name, body) => {
    expect(parse(body).success).toBe(false);
  });

  it.each([
    ['sms', { channel: 'sms', to: '+447400123456', body: 'Your code is 123456' }],
    ['whatsapp', { channel: 'whatsapp', to: '+14155550100', body: 'Hello' }],
    [
      'web push',
      {
        channel: 'push',
        to: {
          webPush: {
            endpoint: 'https://push.example.com/abc',
            keys: { p256dh: 'BNc', auth: 'tBH' },
          },
        },
        title: 'New message',
        body: 'Hi',
        url: 'https://app.example.com/inbox',
      },
    ],
    [
      'SNS push',
      {
        channel: 'push',
        to: {
          snsEndpointArn:
            'arn:aws:sns:eu-west-1:123456789012:endpoint/GCM/herald/5a4c7f1e-0c9b-3f0e-9e5e-2c2a1c0d9e11',
        },
        title: 'T',
        body: 'B',
        data: { k: 1 },
      },
    ],
    [
      'FCM push',
      {
        channel: 'push',
        to: { fcm: { token: 'fMEP0vJqS0aW1b2c3d4e:APA91bHun4MxP5egoKMwt2KZFBaFUH-1RYqx' } },
        title: 'T',
        body: 'B',
      },
    ],
    ['a Slack DM', { channel: 'slack', to: { conversation: 'U024BE7LH' }, text: 'x' }],
    ['a Slack channel', { channel: 'slack', to: { conversation: 'C0123ABCD' }, text: 'x' }],
  ])('accepts %s', (_name, body) => {
    expect(parse(body).success).toBe(true);
  });
});
