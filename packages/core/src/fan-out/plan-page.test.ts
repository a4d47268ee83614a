import { childNotificationId } from '../ids';
import { NO_FAN_OUT, type TopicSendRecord } from '../topic-send';
import type { FanOutRecipient } from './fan-out-ports';
import { planPage } from './plan-page';

const NOW = '2026-01-01T00:00:00.000Z';
const TOPIC = '6f1c1b8e-7a43-4d43-9a55-0d1d3b1f7c11';

function aParent(request: Partial<TopicSendRecord['request']> = {}): TopicSendRecord {
  return {
    kind: 'topic',
    id: 'ntp_00000000000000000000000001',
    clientId: 'client-a',
    topicId: TOPIC,
    request: { title: 'Deploy failed', body: 'main #42', url: 'https://ci.example/42', ...request },
    requestHash: 'h',
    status: 'Pending',
    createdAt: NOW,
    updatedAt: NOW,
    events: [],
    fanOut: NO_FAN_OUT,
  };
}

const sub = (
  recipientId: string,
  channels?: ('email' | 'sms' | 'push' | 'slack' | 'whatsapp')[],
) => ({
  topicId: TOPIC,
  recipientId,
  ...(channels ? { channels } : {}),
  createdAt: NOW,
  updatedAt: NOW,
});

const device = (n: number) => ({
  deviceId: `dev_${String(n).padStart(26, '0')}`,
  target: { fcm: { token: `token-${String(n).padStart(30, '0')}` } },
  createdAt: NOW,
  updatedAt: NOW,
});

describe('planPage', () => {
  it('gives every reachable channel a child when the subscription names none, one per device for push', () => {
    const recipients = new Map<string, FanOutRecipient>([
      [
        'ada',
        {
          profile: { email: 'ada@example.com', phone: '+447400123456' },
          devices: [device(1), device(2)],
        },
      ],
    ]);

    const plan = planPage(aParent(), [sub('ada')], recipients, NOW);

    expect(plan.children.map((c) => c.channel).sort()).toStrictEqual([
      'email',
      'push',
      'push',
      'sms',
    ]);
    expect(plan.skipped).toStrictEqual({ optedOut: 0, suppressed: 0, noAddress: 0 });
    const push = plan.children.filter((c) => c.channel === 'push');
    expect(push.map((c) => c.audience?.deviceId)).toStrictEqual([
      device(1).deviceId,
      device(2).deviceId,
    ]);
    expect(push[0]?.id).toBe(childNotificationId(aParent().id, 'ada', 'push', device(1).deviceId));
    expect(plan.children[0]).toMatchObject({
      clientId: 'client-a',
      status: 'Pending',
      audience: { recipientId: 'ada', parentId: aParent().id, topicId: TOPIC },
    });
  });

  it('derives the same ids when the same page is planned again', () => {
    const recipients = new Map<string, FanOutRecipient>([
      ['ada', { profile: { email: 'a@x.io' }, devices: [] }],
    ]);
    const ids = () => planPage(aParent(), [sub('ada')], recipients, NOW).children.map((c) => c.id);

    expect(ids()).toStrictEqual(ids());
  });

  it('counts opted-out and unreachable pairs instead of creating children', () => {
    const recipients = new Map<string, FanOutRecipient>([
      [
        'ada',
        {
          profile: { email: 'a@x.io' },
          devices: [],
          preferences: { topics: { [TOPIC]: { email: false } } },
        },
      ],
      [
        'bob',
        { profile: { email: 'b@x.io' }, devices: [], preferences: { channels: { email: false } } },
      ],
      ['cy', { profile: { email: 'c@x.io' }, devices: [] }],
    ]);

    const plan = planPage(
      aParent(),
      [sub('ada'), sub('bob'), sub('cy', ['sms', 'email']), sub('gone')],
      recipients,
      NOW,
    );

    expect(plan.children.map((c) => c.audience?.recipientId)).toStrictEqual(['cy']);
    expect(plan.skipped).toStrictEqual({ optedOut: 2, suppressed: 0, noAddress: 2 });
    expect(plan.recipients).toBe(4);
  });

  it("narrows to the send's channels and renders each with its overrides", () => {
    const recipients = new Map<string, FanOutRecipient>([
      [
        'ada',
        {
          profile: { email: 'a@x.io', phone: '+447400123456', slack: { userId: 'U123' } },
          devices: [],
        },
      ],
    ]);
    const parent = aParent({
      channels: ['email', 'slack'],
      overrides: { email: { subject: 'CI: deploy failed', html: '<b>failed</b>' } },
    });

    const plan = planPage(parent, [sub('ada')], recipients, NOW);

    expect(plan.children.map((c) => c.request)).toStrictEqual([
      {
        channel: 'email',
        to: 'a@x.io',
        subject: 'CI: deploy failed',
        html: '<b>failed</b>',
      },
      {
        channel: 'slack',
        to: { conversation: 'U123' },
        text: 'Deploy failed\n\nmain #42\n\nhttps://ci.example/42',
      },
    ]);
  });
});
