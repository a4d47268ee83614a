import {
  createAcceptTopicNotification,
  createCancelTopicSend,
  createFanOutTopicSend,
  silentLogger,
  type ChildStore,
  type FanOutDeps,
  type NotificationQueue,
} from '@herald/core';
import { aTopicWith, useFanOutTables, type Subscriber } from '../testing-fan-out';

// Two tests build a 250-subscriber topic on the emulator first.
jest.setTimeout(60_000);

const t = useFanOutTables();

/** A queue that records what it was handed (the worker's child queue is not what is tested). */
function recordingQueue(): NotificationQueue & { ids: string[] } {
  const ids: string[] = [];
  return { ids, enqueue: (batch) => Promise.resolve(void ids.push(...batch)) };
}

const fcm = (n: number) => ({ fcm: { token: `token-${String(n).padStart(30, '0')}` } });

/** 250 subscribers: emails, phones, two push devices each for some, opt-outs and the unreachable. */
function subscribers(): Subscriber[] {
  return Array.from({ length: 250 }, (_, i): Subscriber => {
    const id = `user-${String(i).padStart(3, '0')}`;
    if (i % 10 === 0) return { id, profile: { email: `${id}@example.com` }, channels: ['sms'] };
    if (i % 10 === 1)
      return { id, profile: {}, devices: [fcm(i), fcm(i + 1000)], channels: ['push'] };
    if (i % 10 === 2)
      return {
        id,
        profile: { email: `${id}@example.com`, phone: '+447400123456' },
        preferences: { channels: { sms: false } },
      };
    return { id, profile: { email: `${id}@example.com` } };
  });
}
// Per 10: i%10=0 → sms without a phone (noAddress); 1 → 2 push children; 2 → email child + sms
// opted out; 3..9 → one email child each.
const EXPECTED = { children: 25 * 2 + 25 + 25 * 7, optedOut: 25, noAddress: 25 };

function fanOutWith(overrides: Partial<FanOutDeps> & { workerId: string }) {
  const childQueue = recordingQueue();
  const run = createFanOutTopicSend({
    sends: t.sends,
    children: t.children,
    topics: t.topics,
    audience: t.audience,
    notifications: t.store,
    childQueue,
    clock: t.clock,
    logger: silentLogger,
    sweepAfterMs: 60_000,
    pageSize: 100,
    ...overrides,
  });
  return { run, childQueue };
}

async function acceptTo(clientId: string, topicId: string, extra: { sendAt?: string } = {}) {
  const accept = createAcceptTopicNotification({
    topics: t.topics,
    sends: t.sends,
    queue: recordingQueue(),
    clock: t.clock,
    logger: silentLogger,
    sweepAfterMs: 60_000,
  });
  const { notification } = await accept({
    clientId,
    topicId,
    request: { title: 'Disk full', body: 'on db-1', ...extra },
  });
  return notification.id;
}

describe('topic fan-out on dynalite', () => {
  it('creates one child per recipient and channel (per device for push), counting what it skipped', async () => {
    const topicId = await aTopicWith(t, 'client-a', subscribers());
    const id = await acceptTo('client-a', topicId);
    const { run, childQueue } = fanOutWith({ workerId: 'w1' });

    expect(await run(id)).toMatchObject({ kind: 'retry-later' });

    const record = await t.sends.get(id);
    expect(record?.fanOut).toStrictEqual({
      pages: 3,
      recipients: 250,
      children: EXPECTED.children,
      skipped: { optedOut: EXPECTED.optedOut, suppressed: 0, noAddress: EXPECTED.noAddress },
      complete: true,
    });
    expect(record?.events.map((e) => e.type)).toStrictEqual(['accepted', 'fanned_out']);
    expect(await t.children.countChildren(id)).toStrictEqual({
      Pending: EXPECTED.children,
      Delivered: 0,
      Refused: 0,
    });
    expect(new Set(childQueue.ids).size).toBe(EXPECTED.children);
    const listed = await listAll(t.children, id);
    expect(new Set(listed.map((c) => c.id))).toStrictEqual(new Set(childQueue.ids));
    expect(
      listed.filter((c) => c.channel === 'push').every((c) => c.deviceId?.startsWith('dev_')),
    ).toBe(true);
    const child = await t.store.get(childQueue.ids[0] ?? '');
    expect(child?.audience).toMatchObject({ parentId: id, topicId });
    expect(child?.lane).toBe('bulk');
  });

  it('never creates a second child when a crashed page is done again, and counts the page once', async () => {
    const topicId = await aTopicWith(t, 'client-b', subscribers());
    const id = await acceptTo('client-b', topicId);
    // The first worker dies after creating page 2's children, before recording the page.
    let pages = 0;
    const crashing: ChildStore = {
      ...t.children,
      createChildren: async (children, sweepAt) => {
        const created = await t.children.createChildren(children, sweepAt);
        if (++pages === 2) throw new Error('killed');
        return created;
      },
    };
    await expect(fanOutWith({ workerId: 'w1', children: crashing }).run(id)).rejects.toThrow(
      'killed',
    );
    expect((await t.sends.get(id))?.fanOut.pages).toBe(1);

    // Its lease runs out; another worker resumes from the recorded cursor.
    t.clock.advance(61);
    const second = fanOutWith({ workerId: 'w2' });
    expect(await second.run(id)).toMatchObject({ kind: 'retry-later' });

    const record = await t.sends.get(id);
    expect(record?.fanOut).toMatchObject({ pages: 3, children: EXPECTED.children, complete: true });
    expect(record?.fanOut.skipped).toStrictEqual({
      optedOut: EXPECTED.optedOut,
      suppressed: 0,
      noAddress: EXPECTED.noAddress,
    });
    expect((await listAll(t.children, id)).length).toBe(EXPECTED.children);
  });

  it('settles Delivered once every child is final, with the counts stored beside the status', async () => {
    const topicId = await aTopicWith(t, 'client-c', subscribers().slice(3, 6));
    const id = await acceptTo('client-c', topicId);
    const { run } = fanOutWith({ workerId: 'w1' });
    await run(id);
    const children = await listAll(t.children, id);
    expect(children).toHaveLength(3);
    for (const [i, child] of children.entries()) {
      const now = t.clock.iso();
      await t.store.claim(child.id, {
        owner: 'w1',
        now,
        leaseUntil: '2099-01-01T00:00:00.000Z',
        event: { at: now, type: 'attempt_started' },
      });
      await t.store.complete(child.id, {
        owner: 'w1',
        now,
        outcome:
          i === 0
            ? { status: 'Refused', reason: { code: 'recipient_rejected', message: '550' } }
            : { status: 'Delivered', provider: 'smtp', providerMessageId: `<${i}@x>` },
        event: { at: now, type: 'provider_accepted' },
      });
    }
    t.clock.advance(5);

    expect(await run(id)).toStrictEqual({ kind: 'done', status: 'Delivered' });
    const record = await t.sends.get(id);
    expect(record).toMatchObject({
      status: 'Delivered',
      finalCounts: { Pending: 0, Delivered: 2, Refused: 1 },
    });
    expect(await run(id)).toStrictEqual({ kind: 'done', status: 'Delivered' });
  });

  it('does not fan a scheduled topic send out before its sendAt', async () => {
    const topicId = await aTopicWith(t, 'client-g', subscribers().slice(3, 5));
    const sendAt = new Date(t.clock.now().getTime() + 3_600_000).toISOString();
    const id = await acceptTo('client-g', topicId, { sendAt });
    const { run } = fanOutWith({ workerId: 'w1' });

    expect(await run(id)).toMatchObject({ kind: 'retry-later' });
    expect((await t.sends.get(id))?.fanOut.pages).toBe(0);
    expect((await t.sends.get(id))?.events.map((e) => e.type)).toStrictEqual([
      'accepted',
      'scheduled',
    ]);

    t.clock.advance(3_600);
    await run(id);
    expect((await t.sends.get(id))?.fanOut).toMatchObject({ complete: true, children: 2 });
  });

  it('ends Refused no_deliverable_recipient when every subscriber was skipped', async () => {
    const topicId = await aTopicWith(t, 'client-d', subscribers().slice(0, 1));
    const id = await acceptTo('client-d', topicId);

    expect(await fanOutWith({ workerId: 'w1' }).run(id)).toStrictEqual({
      kind: 'done',
      status: 'Refused',
    });
    expect((await t.sends.get(id))?.reason?.code).toBe('no_deliverable_recipient');
  });

  it('skips a suppressed address, and refuses children over a per-number cap', async () => {
    const phone = '+447400123456';
    const subs: Subscriber[] = [
      { id: 'bounced', profile: { email: 'gone@example.com' } },
      ...Array.from({ length: 12 }, (_, i) => ({ id: `twin-${i}`, profile: { phone } })),
    ];
    const topicId = await aTopicWith(t, 'client-f', subs);
    await t.suppressions.add('client-f', {
      address: 'email:gone@example.com',
      reason: 'hard_bounce',
      createdAt: t.clock.iso(),
    });
    const id = await acceptTo('client-f', topicId);
    const { run } = fanOutWith({
      workerId: 'w1',
      suppressions: t.suppressions,
      caps: { caps: t.caps, clientMax: () => Promise.resolve(undefined) },
    });

    await run(id);

    expect((await t.sends.get(id))?.fanOut).toMatchObject({
      recipients: 13,
      children: 12,
      skipped: { optedOut: 0, suppressed: 1, noAddress: 0 },
    });
    const children = await listAll(t.children, id);
    expect(children.filter((c) => c.status === 'Pending')).toHaveLength(10);
    expect(children.filter((c) => c.reason?.code === 'recipient_capped')).toHaveLength(2);
  });

  it('cancels a topic send before its fan-out, or stops it and cancels its unstarted children', async () => {
    const cancel = createCancelTopicSend({
      sends: t.sends,
      children: t.children,
      notifications: t.store,
      store: t.store,
      clock: t.clock,
      logger: silentLogger,
    });
    const topicId = await aTopicWith(t, 'client-e', subscribers().slice(3, 8));
    const early = await acceptTo('client-e', topicId);
    expect(await cancel({ clientId: 'client-e', notificationId: early })).toMatchObject({
      record: { status: 'Refused', reason: { code: 'cancelled' } },
      cancelledChildren: 0,
    });
    await expect(cancel({ clientId: 'client-other', notificationId: early })).rejects.toMatchObject(
      { code: 'NOT_FOUND' },
    );

    const late = await acceptTo('client-e', topicId);
    const { run } = fanOutWith({ workerId: 'w1' });
    await run(late);
    const [first] = await listAll(t.children, late);
    const now = t.clock.iso();
    // One child is being sent right now: it is left to finish.
    await t.store.claim(first?.id ?? '', {
      owner: 'w9',
      now,
      leaseUntil: '2099-01-01T00:00:00.000Z',
      event: { at: now, type: 'attempt_started' },
    });

    expect(await cancel({ clientId: 'client-e', notificationId: late })).toMatchObject({
      cancelledChildren: 4,
    });
    expect(await t.children.countChildren(late)).toStrictEqual({
      Pending: 1,
      Delivered: 0,
      Refused: 4,
    });
    await expect(cancel({ clientId: 'client-e', notificationId: late })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });
});

async function listAll(children: ChildStore, parentId: string) {
  const all = [];
  let cursor: string | undefined;
  do {
    const page = await children.listChildren(parentId, { limit: 7, ...(cursor ? { cursor } : {}) });
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return all;
}
