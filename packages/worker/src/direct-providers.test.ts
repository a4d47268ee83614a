import { generateKeyPairSync } from 'node:crypto';
import type { AwsClients } from '@herald/aws';
import { silentLogger } from '@herald/core';
import { InMemoryClientSettings } from '@herald/core/testing';
import { resolveRoutes } from './channel-routes';
import { loadWorkerConfig } from './config';
import { buildProviders } from './provider-registry';

const ACCOUNT = JSON.stringify({
  project_id: 'herald-test',
  client_email: 'herald@herald-test.iam.gserviceaccount.com',
  private_key: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
    type: 'pkcs8',
    format: 'pem',
  }),
  token_uri: 'http://127.0.0.1:9/token',
});
const deps = {
  sns: {} as AwsClients['sns'],
  logger: silentLogger,
  clientSettings: new InMemoryClientSettings(),
};

describe('routing FCM and the Slack bot', () => {
  it('routes push to fcm by default once a service account is configured', () => {
    const routes = resolveRoutes(loadWorkerConfig({ FCM_SERVICE_ACCOUNT: ACCOUNT }));
    expect(routes.push).toEqual(['fcm']);
  });

  it('routes slack to the webhook provider, and to slack-bot once a bot token is set', () => {
    expect(resolveRoutes(loadWorkerConfig({})).slack).toEqual(['slack']);
    expect(resolveRoutes(loadWorkerConfig({ SLACK_BOT_TOKEN: 'xoxb-1-a' })).slack).toEqual([
      'slack',
      'slack-bot',
    ]);
  });

  it('each Slack provider takes only its own kind of target', () => {
    const built = buildProviders(loadWorkerConfig({ SLACK_BOT_TOKEN: 'xoxb-1-a' }), deps);
    const [webhook, bot] = built.providers.slack ?? [];
    const toBot = { channel: 'slack', to: { conversation: 'U123' }, text: 'x' } as const;
    const toHook = { channel: 'slack', to: { webhook: 'ops' }, text: 'x' } as const;

    expect([webhook?.supports?.(toBot), webhook?.supports?.(toHook)]).toEqual([false, true]);
    expect([bot?.name, bot?.supports?.(toBot), bot?.supports?.(toHook)]).toEqual([
      'slack-bot',
      true,
      false,
    ]);
    built.close();
  });

  it('refuses to start with a route naming fcm or slack-bot without credentials', () => {
    expect(() => buildProviders(loadWorkerConfig({ HERALD_ROUTE_PUSH: 'fcm' }), deps)).toThrow(
      /the fcm provider needs FCM_SERVICE_ACCOUNT/,
    );
    expect(() =>
      buildProviders(loadWorkerConfig({ HERALD_ROUTE_SLACK: 'slack-bot' }), deps),
    ).toThrow(/the slack-bot provider needs SLACK_BOT_TOKEN/);
  });
});
