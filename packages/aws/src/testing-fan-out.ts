/**
 * Test support for the fan-out's integration suites: a notifications table and an audience table
 * on the emulators, every store on them, and a topic with subscribers to fan out to.
 */
import { randomUUID } from 'node:crypto';
import {
  deviceIdOf,
  type ChildStore,
  type Clock,
  type DeviceTarget,
  type NotificationStore,
  type PreferenceStore,
  type RecipientProfile,
  type RecipientStore,
  type TopicSendStore,
  type TopicStore,
} from '@herald/core';
import { createDynamoFanOutAudience } from './audience/dynamo-fan-out-audience';
import { createDynamoSuppressionList } from './audience/dynamo-suppression-list';
import { createDynamoRecipientCaps } from './store/dynamo-recipient-caps';
import { createDynamoPreferenceStore } from './audience/dynamo-preference-store';
import { createDynamoRecipientStore } from './audience/dynamo-recipient-store';
import { createDynamoTopicStore } from './audience/dynamo-topic-store';
import { ensureAudienceTable } from './audience/provision-audience-table';
import { createDynamoChildStore } from './store/dynamo-children';
import { createDynamoTopicSendStore } from './store/dynamo-topic-sends';
import { T0, useDynalite } from './testing-dynalite';

/** Every store of one test file's tables, and a clock the test moves. */
export interface FanOutTables {
  store: NotificationStore;
  sends: TopicSendStore;
  children: ChildStore;
  topics: TopicStore;
  recipients: RecipientStore;
  preferences: PreferenceStore;
  audience: ReturnType<typeof createDynamoFanOutAudience>;
  suppressions: ReturnType<typeof createDynamoSuppressionList>;
  /** 10 per client and number per hour, as configured by default. */
  caps: ReturnType<typeof createDynamoRecipientCaps>;
  clock: Clock & { advance(seconds: number): void; iso(): string };
}

/** Registers hooks that start the emulators and make both tables. Valid inside tests. */
export function useFanOutTables(): FanOutTables {
  const dynalite = useDynalite();
  const tables = {} as FanOutTables;
  beforeAll(async () => {
    const { infra, store } = await dynalite.freshTable('fan-out');
    const audienceTable = { doc: infra.clients.doc, tableName: `${infra.tableName}-audience` };
    await ensureAudienceTable({
      dynamodb: infra.clients.dynamodb,
      tableName: audienceTable.tableName,
    });
    const table = { doc: infra.clients.doc, tableName: infra.tableName };
    let now = T0;
    Object.assign(tables, {
      store,
      sends: createDynamoTopicSendStore(table),
      children: createDynamoChildStore(table),
      topics: createDynamoTopicStore(audienceTable),
      recipients: createDynamoRecipientStore(audienceTable),
      preferences: createDynamoPreferenceStore(audienceTable),
      audience: createDynamoFanOutAudience(audienceTable),
      suppressions: createDynamoSuppressionList(audienceTable),
      caps: createDynamoRecipientCaps({
        ...table,
        max: 10,
        allClientsMax: 100,
        windowMs: 3_600_000,
      }),
      clock: {
        now: () => new Date(now),
        advance: (seconds: number) => {
          now += seconds * 1000;
        },
        iso: () => new Date(now).toISOString(),
      },
    });
  });
  return tables;
}

/** A subscriber to create: its profile, devices, and preferences if any. */
export interface Subscriber {
  id: string;
  profile: RecipientProfile;
  devices?: DeviceTarget[];
  preferences?: Parameters<PreferenceStore['putPreferences']>[0]['preferences'];
  channels?: Parameters<TopicStore['subscribe']>[0]['channels'];
}

/** Creates a topic of `clientId` and subscribes each recipient (created first) to it. */
export async function aTopicWith(
  t: FanOutTables,
  clientId: string,
  subscribers: readonly Subscriber[],
): Promise<string> {
  const topicId = randomUUID();
  const now = t.clock.iso();
  await t.topics.createTopic({ clientId, topicId, name: 'alerts', now });
  const addOne = async (s: Subscriber) => {
    const base = { clientId, recipientId: s.id, now };
    await t.recipients.putProfile({ ...base, profile: s.profile, precondition: { kind: 'none' } });
    for (const target of s.devices ?? []) {
      await t.recipients.addDevice({ ...base, deviceId: deviceIdOf(target), target });
    }
    if (s.preferences) {
      await t.preferences.putPreferences({
        ...base,
        preferences: s.preferences,
        precondition: { kind: 'none' },
      });
    }
    await t.topics.subscribe({
      clientId,
      topicId,
      recipientId: s.id,
      now,
      ...(s.channels ? { channels: s.channels } : {}),
    });
  };
  // Ten at a time: the emulator is the bottleneck, not the order.
  for (let i = 0; i < subscribers.length; i += 10) {
    await Promise.all(subscribers.slice(i, i + 10).map(addOne));
  }
  return topicId;
}
