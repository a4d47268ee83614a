import type { OutboundMessage, SlackNotificationRequest } from '@herald/core';
import { createSlackBotProvider } from './slack-bot';
import { slackApiError, slackRateLimited, startSlackApiServer } from './testing-slack-api';
import type { RecordedSlackPost, SlackApiReply, SlackApiServer } from './testing-slack-api';

const BOT_TOKEN = 'xoxb-test-1234567890-abcdefghij';

function post(
  conversation: string,
  extra: Partial<SlackNotificationRequest> = {},
): OutboundMessage<SlackNotificationRequest> {
  return {
    notificationId: 'ntf_slack1',
    request: { channel: 'slack', to: { conversation }, text: 'Job 7 failed', ...extra },
  };
}

const signal = () => new AbortController().signal;

describe('Slack bot provider against a local Slack Web API', () => {
  let server: SlackApiServer;
  let answer: ((p: RecordedSlackPost) => SlackApiReply | undefined) | undefined;

  beforeAll(async () => {
    server = await startSlackApiServer({ token: BOT_TOKEN, respond: (p) => answer?.(p) });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    answer = undefined;
    server.posts.length = 0;
  });

  const provider = (token = BOT_TOKEN) => createSlackBotProvider({ token, apiUrl: server.url });

  it('DMs a user id through chat.postMessage with the bot token', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*Job 7* failed' } }];

    const result = await provider().send(post('U012AB3CD', { blocks }), signal());

    expect(server.posts).toHaveLength(1);
    expect(server.posts[0]?.args).toMatchObject({
      channel: 'U012AB3CD',
      text: 'Job 7 failed',
      blocks,
    });
    expect(result.providerMessageId).toMatch(/^D012AB3CD:\d+\.\d{6}$/);
  });

  it('posts to a channel id', async () => {
    await provider().send(post('C0123456'), signal());

    expect(server.posts[0]?.args).toMatchObject({ channel: 'C0123456' });
  });

  it('ratelimited → transient with its Retry-After, after exactly one call (client retries off)', async () => {
    answer = () => slackRateLimited(17);

    await expect(provider().send(post('C0123456'), signal())).rejects.toMatchObject({
      retryable: true,
      reasonCode: 'provider_unavailable',
      providerCode: 'ratelimited',
      retryAfterMs: 17_000,
    });
    expect(server.posts).toHaveLength(1);
  });

  it.each(['channel_not_found', 'user_not_found', 'not_in_channel'])(
    '%s → permanent recipient_unreachable',
    async (code) => {
      answer = () => slackApiError(code);

      await expect(provider().send(post('C0123456'), signal())).rejects.toMatchObject({
        retryable: false,
        reasonCode: 'recipient_unreachable',
        providerCode: code,
        deadTarget: false,
      });
    },
  );

  it('a wrong token (invalid_auth) → auth failure, logged', async () => {
    const logged: unknown[] = [];
    const bot = createSlackBotProvider({
      token: 'xoxb-wrong',
      apiUrl: server.url,
      logger: { error: (obj) => logged.push(obj) },
    });

    await expect(bot.send(post('C0123456'), signal())).rejects.toMatchObject({
      retryable: true,
      reasonCode: 'provider_auth_failed',
      providerCode: 'invalid_auth',
    });
    expect(server.unauthorised).toBeGreaterThan(0);
    expect(logged).toHaveLength(1);
  });

  it('a 5xx is transient and is not retried by the client', async () => {
    answer = () => ({ status: 503, body: { ok: false, error: 'service_unavailable' } });

    await expect(provider().send(post('C0123456'), signal())).rejects.toMatchObject({
      retryable: true,
      reasonCode: 'provider_unavailable',
    });
    expect(server.posts).toHaveLength(1);
  });

  it('leaves webhook targets to the webhook provider', async () => {
    const request: SlackNotificationRequest = {
      channel: 'slack',
      to: { webhook: 'ops' },
      text: 'x',
    };
    const bot = provider();

    expect(bot.supports?.(request)).toBe(false);
    await expect(bot.send({ notificationId: 'n', request }, signal())).rejects.toMatchObject({
      retryable: false,
      reasonCode: 'target_not_supported',
    });
    expect(server.posts).toHaveLength(0);
  });

  it('an unreachable API is transient', async () => {
    const bot = createSlackBotProvider({ token: BOT_TOKEN, apiUrl: 'http://127.0.0.1:9/api/' });

    await expect(bot.send(post('C0123456'), signal())).rejects.toMatchObject({
      retryable: true,
      reasonCode: 'provider_unavailable',
    });
  });
});
