/**
 * Preferences, and the CLI and SDK for recipients, devices and preferences (issue 14,
 * "Preferences" and "CLI, SDK, docs") through the built api and CLI against dynalite: what the
 * CLI writes the SDK reads back, versions guard writes, and an erase takes the preferences along.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHeraldClient, isHeraldApiError, type HeraldClient } from '@herald/client';
import { heraldEntry, runNode } from '@herald/local';
import { startHeraldStack, type HeraldStack } from './support/herald-stack';

jest.setTimeout(60_000);

const TOPIC = '0f8fad5b-d9cb-469f-a165-70867728950e';
const PREFS = {
  channels: { sms: false },
  topics: { [TOPIC]: { email: false } },
  quietHours: { start: '22:00', end: '07:00' },
};
const FCM = { fcm: { token: 'fcm-token-0123456789abcdef' } };

describe('preferences, the recipients CLI and the SDK, end to end', () => {
  let stack: HeraldStack;
  let herald: HeraldClient;
  let env: NodeJS.ProcessEnv;
  let dir: string;

  beforeAll(async () => {
    stack = await startHeraldStack();
    const token = (await stack.cli(['token', 'issue', '--client', 'shop'])).trim();
    env = { ...stack.env, HERALD_API_URL: stack.apiUrl, HERALD_TOKEN: token };
    herald = createHeraldClient({ baseUrl: stack.apiUrl, token });
    dir = await mkdtemp(path.join(tmpdir(), 'herald-prefs-e2e-'));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function cli(args: string[]): Promise<unknown> {
    const { stdout } = await runNode(heraldEntry('cli'), args, env);
    return stdout.trim() === '' ? undefined : (JSON.parse(stdout) as unknown);
  }

  async function jsonFile(name: string, value: unknown): Promise<string> {
    const file = path.join(dir, name);
    await writeFile(file, JSON.stringify(value));
    return file;
  }

  async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
    const err: unknown = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    return isHeraldApiError(err) ? err.code : undefined;
  }

  it('manages a recipient, its device and its preferences with the CLI, read back by the SDK', async () => {
    const profile = await cli([
      'recipients',
      'put',
      'alice@example.com',
      '--email',
      'alice@example.com',
      '--timezone',
      'Europe/Oslo',
    ]);
    const device = await cli([
      'recipients',
      'devices',
      'add',
      'alice@example.com',
      '--json',
      await jsonFile('device.json', FCM),
    ]);
    const prefs = await cli([
      'recipients',
      'preferences',
      'put',
      'alice@example.com',
      '--json',
      await jsonFile('prefs.json', PREFS),
    ]);

    expect(profile).toMatchObject({ id: 'alice@example.com', timezone: 'Europe/Oslo' });
    expect(device).toMatchObject({ target: FCM });
    expect(prefs).toEqual(PREFS);
    expect((await herald.getPreferences('alice@example.com')).value).toEqual(PREFS);
    expect((await herald.listDevices('alice@example.com')).map((d) => d.target)).toEqual([FCM]);
    expect((await herald.getRecipient('alice@example.com')).value.email).toBe('alice@example.com');
  });

  it('guards preference writes with their ETag, from the very first one', async () => {
    await herald.putRecipient('bob', { phone: '+4791234567' });
    const none = await herald.getPreferences('bob');

    const first = await herald.putPreferences('bob', PREFS, { ifMatch: none.etag });
    const stale = herald.putPreferences('bob', {}, { ifMatch: none.etag });

    expect(none.value).toEqual({});
    expect(first.created).toBe(true);
    expect(await codeOf(stale)).toBe('PRECONDITION_FAILED');
    expect((await herald.getPreferences('bob')).value).toEqual(PREFS);
  });

  it('refuses bad preferences and unknown recipients, storing nothing', async () => {
    await herald.putRecipient('carol', {});
    const bad = { quietHours: { start: '08:00', end: '08:00', timezone: 'Mars/Olympus' } };

    // The CLI hands the body to the API as it is; the API's 400 makes it exit 1.
    await expect(
      cli(['recipients', 'preferences', 'put', 'carol', '--json', await jsonFile('bad.json', bad)]),
    ).rejects.toThrow(/quietHours\.timezone/);
    expect(await codeOf(herald.putPreferences('nobody', PREFS))).toBe('NOT_FOUND');
    expect((await herald.getPreferences('carol')).value).toEqual({});
  });

  it('erases the preferences and devices with the recipient', async () => {
    await herald.putRecipient('dave', { email: 'dave@example.com' });
    await herald.addDevice('dave', FCM);
    await herald.putPreferences('dave', PREFS);

    await cli(['recipients', 'delete', 'dave']);
    const gone = await codeOf(herald.getPreferences('dave'));
    await herald.putRecipient('dave', {});

    expect(gone).toBe('NOT_FOUND');
    expect((await herald.getPreferences('dave')).value).toEqual({});
    expect(await cli(['recipients', 'devices', 'list', 'dave'])).toEqual([]);
  });
});
