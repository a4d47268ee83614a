import type { ClientSettingsStore } from '@herald/aws';
import type { ClientSettings } from '@herald/core';
import { InMemoryClientSettings } from '@herald/core/testing';
import { deriveClientSecret } from '@herald/guards';
import { runCli } from '../testing';

describe('herald client secret', () => {
  it('prints the callback secret derived for the client', async () => {
    const master = 'm'.repeat(40);

    const { code, stdout } = await runCli(['client', 'secret', '--client', 'shop'], {
      env: { HERALD_CALLBACK_SECRET: master },
    });

    expect(code).toBe(0);
    expect(stdout).toBe(deriveClientSecret(master, 'shop'));
  });

  it('exits 2 without --client', async () => {
    expect(
      (await runCli(['client', 'secret'], { env: { HERALD_CALLBACK_SECRET: 'm'.repeat(40) } }))
        .code,
    ).toBe(2);
  });
});

describe('herald client set|show', () => {
  let fake: InMemoryClientSettings;
  let failing: boolean;
  let closed: number;

  beforeEach(() => {
    fake = new InMemoryClientSettings();
    failing = false;
    closed = 0;
  });

  const store: ClientSettingsStore = {
    get: (id) => (failing ? Promise.reject(new Error('connect ECONNREFUSED')) : fake.get(id)),
    set: (id, change) =>
      failing
        ? Promise.reject(new Error('connect ECONNREFUSED'))
        : Promise.resolve(fake.set(id, change)),
  };

  function cli(argv: string[]) {
    return runCli(['client', ...argv], {
      env: {},
      services: { openClientSettingsStore: () => ({ store, close: () => void (closed += 1) }) },
    });
  }

  it('sets allowed webhooks and limits, and prints the settings as JSON', async () => {
    const { code, stdout } = await cli([
      'set',
      'shop',
      '--allow-slack-webhooks',
      'ops,alerts',
      '--send-rate',
      '50',
      '--send-burst',
      '100',
      '--read-rate',
      '20',
      '--read-burst',
      '40',
      '--long-polls',
      '8',
      '--recipient-cap',
      '3',
    ]);

    expect(code).toBe(0);
    const printed = JSON.parse(stdout) as ClientSettings;
    expect(printed).toEqual(await fake.get('shop'));
    expect(printed).toMatchObject({
      clientId: 'shop',
      allowedSlackWebhooks: ['ops', 'alerts'],
      limits: {
        sendPerSecond: 50,
        sendBurst: 100,
        readPerSecond: 20,
        readBurst: 40,
        longPolls: 8,
        recipientCap: 3,
      },
      version: 1,
    });
    expect(closed).toBe(1);
  });

  it('changes only what is given; "default" drops an override, an empty list allows none', async () => {
    fake.set('shop', { allowedSlackWebhooks: ['ops'], limits: { sendPerSecond: 5, longPolls: 2 } });

    const { code } = await cli([
      'set',
      'shop',
      '--send-rate',
      'default',
      '--allow-slack-webhooks',
      '',
    ]);

    expect(code).toBe(0);
    const after = await fake.get('shop');
    expect(after?.allowedSlackWebhooks).toEqual([]);
    expect(after?.limits.sendPerSecond).toBeUndefined();
    expect(after?.limits.longPolls).toBe(2);
  });

  it('shows a client as JSON, and a client without settings as the defaults at version 0', async () => {
    fake.set('shop', { allowedSlackWebhooks: ['ops'] });

    const shown = await cli(['show', 'shop']);
    const unset = await cli(['show', 'new-client']);

    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout)).toEqual(await fake.get('shop'));
    expect(JSON.parse(unset.stdout)).toEqual({
      clientId: 'new-client',
      allowedSlackWebhooks: [],
      limits: {},
      version: 0,
    });
  });

  it.each([
    [['set', 'shop']],
    [['set', 'bad#id', '--send-rate', '5']],
    [['set', 'shop', '--send-rate', '0']],
    [['set', 'shop', '--send-rate', '1.5']],
    [['set', 'shop', '--long-polls', '-3']],
    [['set', 'shop', '--recipient-cap', 'lots']],
    [['set', 'shop', '--allow-slack-webhooks', 'Ops']],
    [['set', 'shop', '--allow-slack-webhooks', 'ops,,alerts']],
    [['set', 'shop', '--allow-slack-webhooks', 'https://hooks.slack.com/x']],
    [['set', 'shop', '--colour', 'red']],
    [['set']],
    [['show']],
    [['show', 'a', 'b']],
    [['show', '']],
  ])('exits 2 and changes nothing for %j', async (argv) => {
    const { code } = await cli(argv);

    expect(code).toBe(2);
    expect(fake.settings.size).toBe(0);
  });

  it('exits 1 and names the table when the store fails', async () => {
    failing = true;

    const { code, stderr } = await cli(['set', 'shop', '--send-rate', '5']);

    expect(code).toBe(1);
    expect(stderr).toContain('table herald');
    expect(closed).toBe(1);
  });
});
