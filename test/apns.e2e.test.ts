/**
 * Direct APNs end to end: the built api and worker processes, configured only through their
 * environment (APNS_* with the `.p8` key as a file, APNS_HOST pointing at a local TLS HTTP/2
 * APNs stand-in whose certificate is trusted through HERALD_APNS_CA_FILE), deliver `push`
 * notifications to `apns` targets. The stand-in verifies every provider token's ES256 signature
 * with the team's public key.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHeraldClient, isHeraldApiError, type HeraldClient } from '@herald/client';
import type { NotificationRequest } from '@herald/client';
import { apnsIdFor } from '@herald/providers';
import {
  generateApnsKey,
  startTestApnsServer,
  type TestApnsServer,
} from '@herald/providers/testing';
import { startHeraldStack, type HeraldStack } from './support/herald-stack';

jest.setTimeout(60_000);

const BUNDLE = 'net.herald.e2e';
const WAIT = { timeoutMs: 20_000 };
const deviceToken = (n: number) => n.toString(16).padStart(2, '0').repeat(32);

describe('push to APNs, end to end through the api and worker processes', () => {
  let stack: HeraldStack;
  let client: HeraldClient;
  let apns: TestApnsServer;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'herald-apns-'));
    const team = generateApnsKey();
    apns = await startTestApnsServer(team, BUNDLE);
    const keyFile = path.join(dir, `AuthKey_${team.keyId}.p8`);
    const caFile = path.join(dir, 'apns-ca.pem');
    await Promise.all([writeFile(keyFile, team.pem), writeFile(caFile, apns.ca)]);
    stack = await startHeraldStack({
      workerEnv: {
        APNS_KEY_ID: team.keyId,
        APNS_TEAM_ID: team.teamId,
        APNS_PRIVATE_KEY: keyFile,
        APNS_BUNDLE_ID: BUNDLE,
        APNS_HOST: apns.origin,
        HERALD_APNS_CA_FILE: caFile,
      },
    });
    client = createHeraldClient({ baseUrl: stack.apiUrl, token: await stack.issueToken('apns') });
  });

  afterAll(async () => {
    await stack?.stop();
    await apns?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const pushesTo = (token: string) => apns.pushes.filter((p) => p.deviceToken === token);
  const aPush = (token: string, extra: Partial<NotificationRequest> = {}): NotificationRequest =>
    ({
      channel: 'push',
      to: { apns: { token, environment: 'sandbox' } },
      title: 'Beam is back',
      body: 'Injection resumed',
      data: { incident: 'INC-7' },
      ...extra,
    }) as NotificationRequest;

  it('delivers to the device with a verified provider token and the alert payload', async () => {
    const token = deviceToken(1);

    const accepted = await client.sendNotificationAsync(aPush(token));
    const final = await client.waitForStatus(accepted.id, WAIT);

    expect(final).toMatchObject({
      status: 'Delivered',
      provider: 'apns',
      providerMessageId: apnsIdFor(accepted.id),
    });
    expect(pushesTo(token)).toHaveLength(1);
    expect(pushesTo(token)[0]).toMatchObject({
      status: 200,
      headers: { 'apns-topic': BUNDLE, 'apns-push-type': 'alert', 'apns-priority': '10' },
      payload: {
        aps: { alert: { title: 'Beam is back', body: 'Injection resumed' } },
        incident: 'INC-7',
        notificationId: accepted.id,
      },
    });
  });

  it('retries a throttled send (429) and delivers it', async () => {
    const token = deviceToken(2);
    apns.script(token, { status: 429, reason: 'TooManyRequests' });

    const accepted = await client.sendNotificationAsync(aPush(token));
    const final = await client.waitForStatus(accepted.id, WAIT);

    expect(final.status).toBe('Delivered');
    expect(pushesTo(token).map((p) => p.status)).toEqual([429, 200]);
    expect(final.events.some((e) => e.type === 'attempt_failed')).toBe(true);
  });

  it('refuses an unregistered device, then never calls APNs for it again', async () => {
    const token = deviceToken(3);
    apns.unregister(token);

    const first = await client.waitForStatus(
      (await client.sendNotificationAsync(aPush(token))).id,
      WAIT,
    );
    const second = await client.waitForStatus(
      (await client.sendNotificationAsync(aPush(token))).id,
      WAIT,
    );

    expect(first).toMatchObject({ status: 'Refused', reason: { code: 'subscription_gone' } });
    // The gone target is on the client's suppression list now.
    expect(second).toMatchObject({ status: 'Refused', reason: { code: 'suppressed' } });
    expect(second.provider).toBeUndefined();
    expect(pushesTo(token)).toHaveLength(1);
  });

  it('answers 400 for a malformed APNs target and stores nothing', async () => {
    const bad = {
      ...aPush(deviceToken(4)),
      to: { apns: { token: 'xyz', environment: 'dev' } },
    } as unknown as NotificationRequest;

    const before = (await client.listNotifications()).items.length;

    const err = await client.sendNotificationAsync(bad).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(isHeraldApiError(err) && err.status).toBe(400);
    expect((await client.listNotifications()).items).toHaveLength(before);
  });
});
