/**
 * The worker's providers as `buildProviders` wires them, outside local mode, against real local
 * servers: a web push service (HTTPS, its certificate trusted through HERALD_WEB_PUSH_CA_FILE, as
 * an operator would) and a Slack-like webhook server. Client-named URLs on loopback must never
 * get a connection.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AwsClients } from '@herald/aws';
import { silentLogger } from '@herald/core';
import type { Provider } from '@herald/core';
import { InMemoryClientSettings } from '@herald/core/testing';
import { generateVapidKeys } from '@herald/providers';
import { createSubscription, startTestPushService } from '@herald/providers/testing';
import type { TestPushService } from '@herald/providers/testing';
import { loadWorkerConfig } from './config';
import { buildProviders } from './provider-registry';

const never = () => new AbortController().signal;

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );
}

describe('buildProviders outside local mode', () => {
  let service: TestPushService;
  let slack: Server;
  let slackConnections = 0;
  let dir: string;
  let built: ReturnType<typeof buildProviders>;

  beforeAll(async () => {
    service = await startTestPushService();
    dir = mkdtempSync(join(tmpdir(), 'herald-worker-'));
    writeFileSync(join(dir, 'ca.pem'), service.ca);
    // Plain TCP is enough: any connection at all is the failure.
    slack = createServer((_req, res) => res.writeHead(200).end('ok'));
    slack.on('connection', () => (slackConnections += 1));
    await new Promise<void>((resolve) => slack.listen(0, '127.0.0.1', resolve));
    const vapid = generateVapidKeys();
    const config = loadWorkerConfig({
      HERALD_LOCAL_MODE: 'false',
      HERALD_ROUTE_PUSH: 'web-push',
      HERALD_ROUTE_SLACK: 'slack',
      VAPID_PUBLIC_KEY: vapid.publicKey,
      VAPID_PRIVATE_KEY: vapid.privateKey,
      HERALD_WEB_PUSH_CA_FILE: join(dir, 'ca.pem'),
      HERALD_SEND_TIMEOUT_MS: '5000',
    });
    built = buildProviders(config, {
      sns: {} as AwsClients['sns'],
      logger: silentLogger,
      clientSettings: new InMemoryClientSettings(),
    });
  });

  afterAll(async () => {
    built.close();
    await service.close();
    slack.closeAllConnections();
    await new Promise<void>((resolve) => slack.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  const only = (providers: Provider[] | undefined): Provider => {
    const [provider] = providers ?? [];
    if (provider === undefined) throw new Error('no provider built');
    return provider;
  };

  it('never connects to a web push endpoint on loopback, and refuses it for good', async () => {
    const sub = createSubscription(service);

    const err = await failureOf(
      only(built.providers.push).send(
        {
          notificationId: 'ntf_0123456789abcdefghijklmnop',
          request: { channel: 'push', to: { webPush: sub.subscription }, title: 't', body: 'b' },
        },
        never(),
      ),
    );

    expect(err).toMatchObject({ retryable: false, reasonCode: 'endpoint_not_allowed' });
    expect(service.connections).toBe(0);
    expect(service.pushes).toHaveLength(0);
  });

  it('never connects to a Slack webhook URL on loopback', async () => {
    const { port } = slack.address() as AddressInfo;

    const err = await failureOf(
      only(built.providers.slack).send(
        {
          notificationId: 'ntf_0123456789abcdefghijklmnop',
          request: {
            channel: 'slack',
            to: { webhookUrl: `https://localhost:${port}/services/T1/B1/x` },
            text: 'hi',
          },
        },
        never(),
      ),
    );

    expect(err).toMatchObject({ retryable: false, reasonCode: 'webhook_not_allowed' });
    expect(slackConnections).toBe(0);
  });
});
