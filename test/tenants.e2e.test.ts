/**
 * Tenants cannot hurt each other (issue 12, items 2 and 5), through the built api, worker and
 * CLI: named Slack webhooks only for the clients `herald client set` allowed, and one client's
 * messages to a number do not use up another client's.
 */
import { createHeraldClient, isHeraldApiError, type HeraldClient } from '@herald/client';
import { startHeraldStack, type HeraldStack } from './support/herald-stack';
import { startHttpRecorder, type HttpRecorder } from './support/peers';

jest.setTimeout(60_000);

const WAIT = { timeoutMs: 20_000 };

describe('tenant isolation, end to end', () => {
  let stack: HeraldStack;
  let slack: HttpRecorder;
  let allowed: HeraldClient;
  let other: HeraldClient;

  beforeAll(async () => {
    slack = await startHttpRecorder();
    stack = await startHeraldStack({
      apiEnv: { HERALD_LOCAL_MODE: 'true', HERALD_RECIPIENT_CAP: '2' },
      workerEnv: {
        HERALD_LOCAL_MODE: 'true',
        SLACK_WEBHOOKS: JSON.stringify({ ops: `${slack.url}/services/OPS` }),
      },
    });
    await stack.cli(['client', 'set', 'team-ops', '--allow-slack-webhooks', 'ops']);
    allowed = createHeraldClient({
      baseUrl: stack.apiUrl,
      token: await stack.issueToken('team-ops'),
    });
    other = createHeraldClient({ baseUrl: stack.apiUrl, token: await stack.issueToken('shop') });
  });

  afterAll(async () => {
    await stack?.stop();
    await slack?.close();
  });

  /** The error body the api answered `send` with. */
  async function refusal(send: Promise<unknown>) {
    try {
      await send;
    } catch (err) {
      if (isHeraldApiError(err))
        return { status: err.status, code: err.code, message: err.message };
      throw err;
    }
    throw new Error('the api accepted it');
  }

  it('delivers to a named webhook for the client allowed to use it', async () => {
    const accepted = await allowed.sendNotificationAsync({
      channel: 'slack',
      to: { webhook: 'ops' },
      text: 'Deploy finished',
    });
    const final = await allowed.waitForStatus(accepted.id, WAIT);

    expect(final.status).toBe('Delivered');
    expect(slack.requests.filter((r) => r.url === '/services/OPS')).toHaveLength(1);
  });

  it('answers another client 400, the same for a configured and an unknown name', async () => {
    const configured = await refusal(
      other.sendNotificationAsync({ channel: 'slack', to: { webhook: 'ops' }, text: 'x' }),
    );
    const unknown = await refusal(
      other.sendNotificationAsync({ channel: 'slack', to: { webhook: 'nope' }, text: 'x' }),
    );

    expect(configured).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
      message: 'to.webhook is not a webhook this client may use',
    });
    expect(unknown).toEqual(configured);
  });

  it("keeps one client's messages to a number from using up another's", async () => {
    const to = '+447400123456';
    const sms = { channel: 'sms' as const, to, body: 'Your code is 123456' };
    await allowed.sendNotificationAsync(sms);
    await allowed.sendNotificationAsync(sms);

    const third = await refusal(allowed.sendNotificationAsync(sms));
    const byOther = await other.sendNotificationAsync(sms);

    expect(third).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(byOther.status).toBe('Pending');
  });

  it('shows the settings with herald client show', async () => {
    const shown = JSON.parse(await stack.cli(['client', 'show', 'team-ops'])) as unknown;

    expect(shown).toMatchObject({
      clientId: 'team-ops',
      allowedSlackWebhooks: ['ops'],
      limits: {},
      version: 1,
    });
  });
});
