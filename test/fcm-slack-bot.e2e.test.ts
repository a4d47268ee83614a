/**
 * Direct FCM and the Slack bot end to end: the built api and worker processes, configured only
 * through their environment (FCM_SERVICE_ACCOUNT as JSON with its token_uri on a local server,
 * FCM_API_BASE_URL, SLACK_BOT_TOKEN, SLACK_API_URL), deliver to real HTTP peers on 127.0.0.1: an
 * FCM stand-in whose token endpoint verifies the signed grant, and a Slack Web API stand-in that
 * checks the bot token.
 */
import {
  createHeraldClient,
  isHeraldApiError,
  type HeraldClient,
  type NotificationView,
} from '@herald/client';
import {
  fcmError,
  slackApiError,
  startFcmServer,
  startSlackApiServer,
  type FcmServer,
  type SlackApiServer,
} from '@herald/providers/testing';
import { startHeraldStack, type HeraldStack } from './support/herald-stack';

jest.setTimeout(60_000);

const BOT_TOKEN = 'xoxb-e2e-0123456789-abcdef';
const GONE_TOKEN = 'gone-device-token:APA91b_uninstalled_app';
const LIVE_TOKEN = 'live-device-token:APA91b_installed_app_x';
/** Answered 429 QUOTA_EXCEEDED with `Retry-After: 2` the first time, then accepted. */
const QUOTA_TOKEN = 'quota-device-token:APA91b_busy_project_x';
const WAIT = { timeoutMs: 20_000 };

describe('FCM and the Slack bot, end to end through the api and worker processes', () => {
  let stack: HeraldStack;
  let client: HeraldClient;
  let fcm: FcmServer;
  let slack: SlackApiServer;

  beforeAll(async () => {
    [fcm, slack] = await Promise.all([
      startFcmServer({
        respond: (m) => {
          if (m.message.token === GONE_TOKEN) return fcmError(404, 'NOT_FOUND', 'UNREGISTERED');
          const quotaCalls = fcm.messages.filter((x) => x.message.token === QUOTA_TOKEN).length;
          if (m.message.token === QUOTA_TOKEN && quotaCalls === 1)
            return fcmError(429, 'RESOURCE_EXHAUSTED', 'QUOTA_EXCEEDED', { 'retry-after': '2' });
          return undefined;
        },
      }),
      startSlackApiServer({
        token: BOT_TOKEN,
        respond: (p) =>
          p.args.channel === 'C0GONE' ? slackApiError('channel_not_found') : undefined,
      }),
    ]);
    stack = await startHeraldStack({
      apiEnv: { HERALD_LOCAL_MODE: 'true' },
      workerEnv: {
        HERALD_LOCAL_MODE: 'true',
        FCM_SERVICE_ACCOUNT: JSON.stringify(fcm.serviceAccount),
        FCM_API_BASE_URL: fcm.url,
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_API_URL: slack.url,
        // Room above FCM's Retry-After: the test stack's 1 s cap would hide it.
        HERALD_RETRY_MAX_MS: '10000',
      },
    });
    client = createHeraldClient({ baseUrl: stack.apiUrl, token: await stack.issueToken('fcm') });
  });

  afterAll(async () => {
    await stack?.stop();
    await Promise.all([fcm?.close(), slack?.close()]);
  });

  const finalOf = (id: string): Promise<NotificationView> => client.waitForStatus(id, WAIT);

  it('delivers a push to an FCM token: grant verified, bearer checked, Delivered with the message name', async () => {
    const expiresAt = new Date(Date.now() + 600_000).toISOString();
    const accepted = await client.sendNotificationAsync({
      channel: 'push',
      to: { fcm: { token: LIVE_TOKEN } },
      title: 'Vacuum alarm',
      body: 'Beamline 3 lost vacuum',
      url: 'https://ops.example.com/alarms/3',
      data: { severity: 2 },
      topic: 'vacuum-b3',
      expiresAt,
    });

    const view = await finalOf(accepted.id);

    expect(view.status).toBe('Delivered');
    expect(fcm.grantsRefused).toEqual([]);
    const sent = fcm.messages.filter((m) => m.message.token === LIVE_TOKEN);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.message).toMatchObject({
      notification: { title: 'Vacuum alarm', body: 'Beamline 3 lost vacuum' },
      data: { severity: '2', url: 'https://ops.example.com/alarms/3', notificationId: accepted.id },
      android: { collapse_key: 'vacuum-b3' },
    });
    const ttl = Number(
      /^(\d+)s$/.exec(String((sent[0]?.message.android as { ttl?: string }).ttl))?.[1],
    );
    expect(ttl).toBeGreaterThan(500);
    expect(ttl).toBeLessThanOrEqual(600);
    const acceptedEvent = view.events.find((e) => e.type === 'provider_accepted');
    expect(acceptedEvent?.detail?.provider).toBe('fcm');
    expect(String(acceptedEvent?.detail?.providerMessageId)).toMatch(
      /^projects\/herald-test\/messages\//,
    );
  });

  it('an UNREGISTERED token ends subscription_gone, and the next send to it is suppressed, never reaching FCM', async () => {
    const send = () =>
      client.sendNotificationAsync({
        channel: 'push',
        to: { fcm: { token: GONE_TOKEN } },
        title: 'Hello',
        body: 'again',
      });

    const first = await finalOf((await send()).id);
    const callsAfterFirst = fcm.messages.filter((m) => m.message.token === GONE_TOKEN).length;
    const second = await finalOf((await send()).id);

    expect(first).toMatchObject({ status: 'Refused', reason: { code: 'subscription_gone' } });
    // The gone target is on the client's suppression list now.
    expect(second).toMatchObject({ status: 'Refused', reason: { code: 'suppressed' } });
    expect(callsAfterFirst).toBe(1);
    expect(fcm.messages.filter((m) => m.message.token === GONE_TOKEN)).toHaveLength(1);
  });

  it("waits out FCM's Retry-After on a 429 before trying again, then delivers", async () => {
    const accepted = await client.sendNotificationAsync({
      channel: 'push',
      to: { fcm: { token: QUOTA_TOKEN } },
      title: 'Busy',
      body: 'later',
    });

    const view = await finalOf(accepted.id);

    expect(view.status).toBe('Delivered');
    const failed = view.events.find((e) => e.type === 'attempt_failed');
    expect(failed?.detail).toMatchObject({ provider: 'fcm', providerCode: 'QUOTA_EXCEEDED' });
    const waitedMs = Date.parse(String(failed?.detail?.retryAt)) - Date.parse(failed?.at ?? '');
    expect(waitedMs).toBeGreaterThanOrEqual(2_000);
    expect(fcm.messages.filter((m) => m.message.token === QUOTA_TOKEN)).toHaveLength(2);
  });

  it('refuses a malformed FCM token with a 400 naming the field', async () => {
    const err = await client
      .sendNotificationAsync({
        channel: 'push',
        to: { fcm: { token: 'no spaces allowed' } },
        title: 'x',
        body: 'y',
      })
      .catch((e: unknown) => e);

    expect(isHeraldApiError(err) && err.status).toBe(400);
    expect(JSON.stringify(isHeraldApiError(err) && err.details)).toContain('fcm');
  });

  it('DMs a Slack user through the bot token, and refuses a channel Slack does not know', async () => {
    const dm = await client.sendNotificationAsync({
      channel: 'slack',
      to: { conversation: 'U0E2EUSER' },
      text: 'Your job finished',
    });
    const gone = await client.sendNotificationAsync({
      channel: 'slack',
      to: { conversation: 'C0GONE' },
      text: 'Nobody home',
    });

    await expect(finalOf(dm.id)).resolves.toMatchObject({ status: 'Delivered' });
    await expect(finalOf(gone.id)).resolves.toMatchObject({
      status: 'Refused',
      reason: { code: 'recipient_unreachable' },
    });
    expect(slack.posts.find((p) => p.args.channel === 'U0E2EUSER')?.args).toMatchObject({
      text: 'Your job finished',
    });
    expect(slack.unauthorised).toBe(0);
  });
});
