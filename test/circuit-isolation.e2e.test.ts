/**
 * Circuit breakers, as a user meets them: client A's own push service answers 503 until A's
 * circuit opens, then 400. Client B's pushes to another push service are delivered at once, and
 * the 400 on A's trial call closes A's circuit, so A's next push goes through too.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { HeraldClient } from '@herald/client';
import { generateVapidKeys } from '@herald/providers';
import {
  createSubscription,
  startTestPushService,
  type TestPushService,
} from '@herald/providers/testing';
import { startHeraldStack, type HeraldStack } from './support/herald-stack';
import { clientFor, figure } from './support/faults';
import { eventually } from './support/peers';

jest.setTimeout(90_000);

const FAILURES_TO_OPEN = 5;

let stack: HeraldStack;
let serviceA: TestPushService;
let serviceB: TestPushService;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'herald-circuits-'));
  [serviceA, serviceB] = await Promise.all([startTestPushService(), startTestPushService()]);
  const caFile = path.join(dir, 'push-ca.pem');
  await writeFile(caFile, `${serviceA.ca}\n${serviceB.ca}`);
  const vapid = generateVapidKeys();
  stack = await startHeraldStack({
    apiEnv: { HERALD_LOCAL_MODE: 'true', HERALD_RATE_LIMIT_PER_SECOND: '0' },
    workerEnv: {
      HERALD_LOCAL_MODE: 'true',
      VAPID_PUBLIC_KEY: vapid.publicKey,
      VAPID_PRIVATE_KEY: vapid.privateKey,
      HERALD_WEB_PUSH_CA_FILE: caFile,
      HERALD_CIRCUIT_FAILURES: String(FAILURES_TO_OPEN),
      HERALD_CIRCUIT_COOLDOWN_MS: '1000',
    },
  });
});

afterAll(async () => {
  await stack?.stop();
  await Promise.all([serviceA?.close(), serviceB?.close()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

const push = (client: HeraldClient, service: TestPushService) => {
  const subscription = createSubscription(service);
  return client.sendNotificationAsync({
    channel: 'push',
    to: { webPush: subscription.subscription },
    title: 'Hi',
    body: 'There',
  });
};

describe("one client's failing push service", () => {
  it("opens only that origin's circuit, and a permanent error on its trial closes it", async () => {
    const a = await clientFor(stack, 'client-a');
    const b = await clientFor(stack, 'client-b');
    const broken = createSubscription(serviceA);
    serviceA.respondWith(broken.id, 503);
    const t0 = Date.now();
    for (let i = 0; i < FAILURES_TO_OPEN; i++) {
      await a.sendNotificationAsync({
        channel: 'push',
        to: { webPush: broken.subscription },
        title: 'Hi',
        body: `A ${i}`,
      });
    }
    const to = (service: TestPushService, status: number) =>
      service.pushes.filter((p) => p.status === status).length;
    await eventually(
      () => Promise.resolve(to(serviceA, 503) >= FAILURES_TO_OPEN || undefined),
      "A's circuit to open",
    );
    serviceA.respondWith(broken.id, 400);

    const fromB = await Promise.all([1, 2, 3].map(() => push(b, serviceB)));
    const finalsB = await Promise.all(
      fromB.map((n) => b.waitForStatus(n.id, { timeoutMs: 15_000 })),
    );
    const tB = Date.now() - t0;
    await eventually(() => Promise.resolve(to(serviceA, 400) >= 1 || undefined), "A's trial");
    const afterTrial = await push(a, serviceA);
    const finalA = await a.waitForStatus(afterTrial.id, { timeoutMs: 15_000 });
    figure(
      `circuit isolation: A's origin ${to(serviceA, 503)} × 503 then 400; B's 3 pushes to another ` +
        `origin ${finalsB.map((f) => `${f.status}@${f.attempts}`).join(', ')} (done ${tB} ms after ` +
        `A's first); A's next push after the 400 trial: ${finalA.status} at attempt ${finalA.attempts}`,
    );

    expect(finalsB.map((f) => [f.status, f.attempts])).toEqual(Array(3).fill(['Delivered', 1]));
    expect(finalA.status).toBe('Delivered');
  });
});
