/**
 * The direct APNs provider as `buildProviders` wires it from the environment, against a real TLS
 * HTTP/2 APNs stand-in (its certificate trusted through HERALD_APNS_CA_FILE), and how the push
 * route treats `apns` targets with and without APNs credentials.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AwsClients } from '@herald/aws';
import { silentLogger } from '@herald/core';
import type { NotificationRequest, Provider } from '@herald/core';
import { InMemoryClientSettings } from '@herald/core/testing';
import { generateApnsKey, startTestApnsServer } from '@herald/providers/testing';
import type { TestApnsServer } from '@herald/providers/testing';
import { loadWorkerConfig } from './config';
import { buildProviders } from './provider-registry';

const team = generateApnsKey();
const BUNDLE = 'net.herald.worker';
const TOKEN = 'c0'.repeat(32);
const request: NotificationRequest = {
  channel: 'push',
  to: { apns: { token: TOKEN } },
  title: 'Shift starts',
  body: 'In ten minutes',
};
let server: TestApnsServer;
let dir: string;

beforeAll(async () => {
  server = await startTestApnsServer(team, BUNDLE);
  dir = mkdtempSync(join(tmpdir(), 'herald-worker-apns-'));
  writeFileSync(join(dir, 'ca.pem'), server.ca);
  writeFileSync(join(dir, 'AuthKey.p8'), team.pem);
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function build(env: NodeJS.ProcessEnv) {
  return buildProviders(loadWorkerConfig({ HERALD_LOCAL_MODE: 'false', ...env }), {
    sns: {} as AwsClients['sns'],
    logger: silentLogger,
    clientSettings: new InMemoryClientSettings(),
  });
}

const apnsEnv = () => ({
  APNS_KEY_ID: team.keyId,
  APNS_TEAM_ID: team.teamId,
  APNS_PRIVATE_KEY: join(dir, 'AuthKey.p8'),
  APNS_BUNDLE_ID: BUNDLE,
  APNS_HOST: server.origin,
  HERALD_APNS_CA_FILE: join(dir, 'ca.pem'),
});

/** The providers the router would try for `request`, in order. */
const takers = (providers: Provider[] | undefined): string[] =>
  (providers ?? []).filter((p) => p.supports?.(request) ?? true).map((p) => p.name);

describe('buildProviders with APNs', () => {
  it('routes apns targets to the apns provider by default, which delivers them', async () => {
    const built = build(apnsEnv());
    try {
      const [provider] = (built.providers.push ?? []).filter((p) => p.name === 'apns');

      const result = await provider?.send(
        { notificationId: 'ntf_0123456789abcdefghijklmnop', request },
        new AbortController().signal,
      );

      expect(takers(built.providers.push)).toEqual(['apns']);
      expect(result?.providerMessageId).toMatch(/^[0-9a-f-]{36}$/);
      expect(server.pushes.filter((p) => p.deviceToken === TOKEN)).toHaveLength(1);
    } finally {
      built.close();
    }
  });

  it('leaves apns targets to nobody without credentials (channel_not_configured)', () => {
    const built = build({});

    expect(takers(built.providers.push)).toEqual([]);
    built.close();
  });

  it('lets the sandbox stand in for APNs only while APNs has no credentials', () => {
    const sandbox = { HERALD_ALLOW_SANDBOX: 'true', HERALD_SANDBOX_DIR: join(dir, 'outbox') };
    const without = build(sandbox);
    const withApns = build({ ...sandbox, ...apnsEnv() });

    expect(takers(without.providers.push)).toEqual(['sandbox']);
    expect(takers(withApns.providers.push)).toEqual(['apns']);
    without.close();
    withApns.close();
  });

  it('refuses to start with a key that is not a P-256 .p8 key', () => {
    writeFileSync(join(dir, 'bad.p8'), 'not a key');

    expect(() => build({ ...apnsEnv(), APNS_PRIVATE_KEY: join(dir, 'bad.p8') })).toThrow(
      'APNS_PRIVATE_KEY is not a PEM private key',
    );
  });
});
