import { createHeraldClient } from '@herald/client';
import { startHeraldStack, type HeraldStack } from './support/herald-stack';

jest.setTimeout(180_000);

const NOTIFICATIONS = 150;
const KILLS = 6;

let stack: HeraldStack;

beforeAll(async () => {
  // A little SMTP latency so kills land while sends are in flight.
  stack = await startHeraldStack({ smtp: { delayMs: 15 } });
});

afterAll(async () => {
  await stack?.stop();
});

describe('worker crash', () => {
  it('delivers every accepted notification although the worker is SIGKILLed mid-flight', async () => {
    const client = createHeraldClient({
      baseUrl: stack.apiUrl,
      token: await stack.issueToken('crash-test'),
    });
    const ids: string[] = [];
    const sending = (async () => {
      for (let i = 0; i < NOTIFICATIONS; i++) {
        ids.push(
          (
            await client.sendNotificationAsync({
              channel: 'email',
              to: `user${i}@example.com`,
              subject: `n${i}`,
              text: 'hi',
            })
          ).id,
        );
      }
    })();

    for (let k = 0; k < KILLS; k++) {
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 700));
      await stack.worker.kill();
      stack.worker = await stack.startWorker();
    }
    await sending;
    const finals = await Promise.all(
      ids.map((id) => client.waitForStatus(id, { timeoutMs: 90_000 })),
    );

    const sendsPerId = new Map<string, number>();
    for (const m of stack.smtp.messages) {
      const id = /X-Herald-Notification-Id: (ntf_\w+)/i.exec(m.raw.toString())?.[1];
      if (id) sendsPerId.set(id, (sendsPerId.get(id) ?? 0) + 1);
    }
    const duplicates = [...sendsPerId.values()].filter((n) => n > 1).length;
    const notDelivered = finals.filter((f) => f.status !== 'Delivered');
    process.stdout.write(
      `worker crash: ${ids.length} accepted, ${KILLS} SIGKILLs, ${finals.length - notDelivered.length} delivered, ` +
        `${notDelivered.length} not delivered, ${duplicates} duplicate SMTP sends (kill between SMTP acceptance and the state write)\n`,
    );

    expect(notDelivered).toEqual([]);
    expect(ids.every((id) => (sendsPerId.get(id) ?? 0) >= 1)).toBe(true);
    // A duplicate is only possible for a notification whose attempt was cut short by a kill.
    expect(duplicates).toBeLessThanOrEqual(KILLS * 32);
  });
});
