/**
 * A worker SIGKILLed after a notification's final write and before its status event reached SNS:
 * the event (and so the client's callback) is still delivered, after a restart, once per event id.
 *
 * The window is held open without any test-only code in the worker: its SNS endpoint is a local
 * TCP server that accepts connections and never answers, so every publish hangs while the final
 * writes (dynalite) go through. The restarted worker gets the real SNS endpoint (fauxqs), and
 * the second test measures the ordinary path on it: final write → callback received.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createHeraldClient } from '@herald/client';
import { startHeraldStack, type HeraldStack } from './support/herald-stack';
import { eventually, startHttpRecorder, type HttpRecorder } from './support/peers';

jest.setTimeout(180_000);

const NOTIFICATIONS = 20;
const STEADY_NOTIFICATIONS = 100;

/** Accepts TCP connections and never answers: an SNS that takes requests and hangs. */
async function startBlackHole(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

let stack: HeraldStack;
let hooks: HttpRecorder;
let blackHole: Awaited<ReturnType<typeof startBlackHole>>;

beforeAll(async () => {
  [hooks, blackHole] = await Promise.all([
    startHttpRecorder(() => ({ status: 204 })),
    startBlackHole(),
  ]);
  stack = await startHeraldStack({
    statusEvents: true,
    apiEnv: { HERALD_LOCAL_MODE: 'true' },
    workerEnv: { HERALD_LOCAL_MODE: 'true', HERALD_SNS_ENDPOINT: blackHole.url },
  });
});

afterAll(async () => {
  await stack?.stop();
  await Promise.all([hooks?.close(), blackHole?.close()]);
});

describe('status events across a worker crash', () => {
  it('publishes every status event owed at a SIGKILL after the restart, one callback per event id', async () => {
    const client = createHeraldClient({
      baseUrl: stack.apiUrl,
      token: await stack.issueToken('outbox-crash'),
    });
    const ids: string[] = [];
    for (let i = 0; i < NOTIFICATIONS; i++) {
      const accepted = await client.sendNotificationAsync({
        channel: 'email',
        to: `user${i}@example.com`,
        subject: `n${i}`,
        text: 'hi',
        callbackUrl: `${hooks.url}/hook/${i}`,
      });
      ids.push(accepted.id);
    }
    const finals = await Promise.all(
      ids.map((id) => client.waitForStatus(id, { timeoutMs: 30_000 })),
    );
    // Every final status is written; every publish hangs in the black hole.
    await new Promise((r) => setTimeout(r, 1_000));
    const callbacksBeforeKill = hooks.requests.length;

    await stack.worker.kill();
    const restartedAt = Date.now();
    stack.worker = await stack.startWorker({ HERALD_SNS_ENDPOINT: stack.env.HERALD_SQS_ENDPOINT });
    // Up to the visibility timeout (30 s) more for a callback that SQS handed to the killed
    // worker's abandoned long poll (README, "Known limits"): that is the callbacks queue, not this.
    await eventually(
      () => Promise.resolve(hooks.requests.length >= NOTIFICATIONS ? true : undefined),
      'a callback for every notification',
      90_000,
    );
    const lastCallbackMs = Date.now() - restartedAt;
    // Another recovery round or two: nothing may be published again.
    await new Promise((r) => setTimeout(r, 5_000));

    const perEventId = new Map<string, number>();
    for (const req of hooks.requests) {
      const eventId = String(req.headers['herald-event-id']);
      perEventId.set(eventId, (perEventId.get(eventId) ?? 0) + 1);
    }
    const duplicates = [...perEventId.values()].filter((n) => n > 1).length;
    const recovered = stack.worker.lines
      .filter((l) => l.includes('published status events owed since a crash'))
      .map((l) => JSON.parse(l) as { time: number; count: number });
    const republished = recovered.reduce((sum, r) => sum + r.count, 0);
    const lastPublishMs = Math.max(...recovered.map((r) => r.time)) - restartedAt;
    process.stdout.write(
      `status events across a SIGKILL: ${ids.length} delivered, ${callbacksBeforeKill} callbacks before the kill; ` +
        `after the restart ${republished} owed events republished (all within ${lastPublishMs} ms), ` +
        `${hooks.requests.length} callbacks (all within ${lastCallbackMs} ms), ` +
        `${perEventId.size} distinct event ids, ${duplicates} duplicated\n`,
    );

    expect(finals.every((f) => f.status === 'Delivered')).toBe(true);
    expect(callbacksBeforeKill).toBe(0);
    expect(republished).toBe(NOTIFICATIONS);
    expect([...perEventId.keys()].sort()).toEqual(ids.map((id) => `${id}:Delivered`).sort());
    expect(duplicates).toBe(0);
    expect(hooks.requests).toHaveLength(NOTIFICATIONS);
    for (const req of hooks.requests) {
      const body = JSON.parse(req.body) as { id: string; status: string };
      expect(req.headers['herald-event-id']).toBe(`${body.id}:${body.status}`);
    }
  });

  it('publishes right behind the final write when nothing fails (figure printed, not asserted)', async () => {
    const client = createHeraldClient({
      baseUrl: stack.apiUrl,
      token: await stack.issueToken('outbox-steady'),
    });
    const before = hooks.requests.length;
    const ids: string[] = [];
    for (let i = 0; i < STEADY_NOTIFICATIONS; i++) {
      const accepted = await client.sendNotificationAsync({
        channel: 'email',
        to: `steady${i}@example.com`,
        subject: `s${i}`,
        text: 'hi',
        callbackUrl: `${hooks.url}/steady/${i}`,
      });
      ids.push(accepted.id);
      await new Promise((r) => setTimeout(r, 20));
    }
    const finals = await Promise.all(
      ids.map((id) => client.waitForStatus(id, { timeoutMs: 30_000 })),
    );
    await eventually(
      () => Promise.resolve(hooks.requests.length >= before + ids.length ? true : undefined),
      'a callback for every steady notification',
      30_000,
    );

    const callbacks = hooks.requests.slice(before);
    const finalAt = new Map(finals.map((f) => [f.id, Date.parse(f.updatedAt)]));
    const lags = callbacks
      .map((req) => {
        const { id } = JSON.parse(req.body) as { id: string };
        return req.receivedAt - (finalAt.get(id) ?? NaN);
      })
      .sort((a, b) => a - b);
    const at = (q: number) => lags[Math.min(lags.length - 1, Math.floor(q * lags.length))];
    process.stdout.write(
      `status events, steady path: ${ids.length} delivered at ~50/s, ${callbacks.length} callbacks; ` +
        `final write → callback received p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${lags.at(-1)} ms ` +
        `(SNS publish, the callbacks queue and the dispatcher's POST included)\n`,
    );

    expect(finals.every((f) => f.status === 'Delivered')).toBe(true);
    expect(callbacks.map((req) => req.headers['herald-event-id']).sort()).toEqual(
      ids.map((id) => `${id}:Delivered`).sort(),
    );
  });
});
