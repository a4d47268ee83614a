import { createAcceptNotification, createDeliverNotification, silentLogger } from '@herald/core';
import {
  FixedClock,
  InMemoryClientSettings,
  InMemoryNotificationStore,
  InMemoryQueue,
  aDeliverDeps,
} from '@herald/core/testing';
import { createSlackProvider } from '@herald/providers';
import { scopeNamedWebhooks } from './webhook-scope';

function setup() {
  const store = new InMemoryNotificationStore();
  const clock = new FixedClock();
  const settings = new InMemoryClientSettings();
  const posted: string[] = [];
  const slack = createSlackProvider({
    webhooks: { ops: 'https://hooks.slack.example/ops' },
    fetch: (url) => {
      posted.push(url instanceof Request ? url.url : url.toString());
      return Promise.resolve(new Response('ok'));
    },
  });
  const accept = createAcceptNotification({
    store,
    queue: new InMemoryQueue(),
    clock,
    logger: silentLogger,
    sweepAfterMs: 60_000,
  });
  const deliver = createDeliverNotification(
    aDeliverDeps(store, clock, { slack: [scopeNamedWebhooks(slack, settings)] }),
  );
  const send = async (clientId: string, to: { webhook: string } | { webhookUrl: string }) => {
    const { notification } = await accept({
      clientId,
      request: { channel: 'slack', to, text: 'Deploy finished' },
    });
    await deliver(notification.id);
    return store.records.get(notification.id);
  };
  return { settings, posted, send };
}

describe('scopeNamedWebhooks', () => {
  it('sends to a named webhook the client is allowed to use', async () => {
    const { settings, posted, send } = setup();
    settings.set('client-a', { allowedSlackWebhooks: ['ops'] });

    const record = await send('client-a', { webhook: 'ops' });

    expect(record?.status).toBe('Delivered');
    expect(posted).toEqual(['https://hooks.slack.example/ops']);
  });

  it('refuses (webhook_not_allowed) when the settings no longer allow the name at send time', async () => {
    const { settings, posted, send } = setup();
    settings.set('client-a', { allowedSlackWebhooks: ['ops'] });
    settings.set('client-a', { allowedSlackWebhooks: [] });

    const record = await send('client-a', { webhook: 'ops' });

    expect(record?.status).toBe('Refused');
    expect(record?.reason?.code).toBe('webhook_not_allowed');
    expect(posted).toEqual([]);
  });

  it('refuses a client without settings, without revealing whether the name exists', async () => {
    const { posted, send } = setup();

    const configured = await send('client-b', { webhook: 'ops' });
    const unknown = await send('client-b', { webhook: 'nope' });

    expect(configured?.reason?.code).toBe('webhook_not_allowed');
    expect(unknown?.reason).toEqual(configured?.reason);
    expect(posted).toEqual([]);
  });

  it('retries, never refuses, when the settings cannot be read', async () => {
    const { settings, posted, send } = setup();
    settings.set('client-a', { allowedSlackWebhooks: ['ops'] });
    jest.spyOn(settings, 'get').mockRejectedValueOnce(new Error('store down'));

    const record = await send('client-a', { webhook: 'ops' });

    expect(record?.status).toBe('Pending');
    expect(record?.nextAttemptAt).toBeDefined();
    expect(posted).toEqual([]);
  });

  it('leaves webhook URLs alone', async () => {
    const { posted, send } = setup();

    const record = await send('client-b', { webhookUrl: 'https://hooks.slack.example/url' });

    expect(record?.status).toBe('Delivered');
    expect(posted).toEqual(['https://hooks.slack.example/url']);
  });
});
