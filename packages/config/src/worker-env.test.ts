import { parseEnv } from './parse-env';
import { workerEnvSchema } from './worker-env';

const parse = (env: NodeJS.ProcessEnv) => parseEnv(workerEnvSchema, env, 'worker');

function problemsOf(env: NodeJS.ProcessEnv): string {
  try {
    parse(env);
  } catch (err) {
    expect(err).toMatchObject({ code: 'CONFIG_INVALID' });
    return (err as Error).message;
  }
  throw new Error('expected CONFIG_INVALID');
}

describe('the worker schema: routes, pacing and Slack webhooks', () => {
  it('parses routes into provider lists, leaving unset routes undefined', () => {
    const config = parse({ HERALD_ROUTE_SMS: ' twilio , sandbox', HERALD_ALLOW_SANDBOX: 'true' });

    expect(config.HERALD_ROUTE_SMS).toEqual(['twilio', 'sandbox']);
    expect(config.HERALD_ROUTE_EMAIL).toBeUndefined();
  });

  it('keeps an empty route empty (the channel gets no provider)', () => {
    expect(parse({ HERALD_ROUTE_EMAIL: '' }).HERALD_ROUTE_EMAIL).toEqual([]);
  });

  it('refuses an unknown provider name', () => {
    expect(problemsOf({ HERALD_ROUTE_SMS: 'twilio,nexmo' })).toMatch(
      /unknown provider "nexmo" \(known: smtp, twilio, web-push, sns, apns, fcm, slack, slack-bot, sandbox\)\n\s+→ at HERALD_ROUTE_SMS/,
    );
  });

  it('refuses a route to the sandbox unless HERALD_ALLOW_SANDBOX=true', () => {
    expect(
      problemsOf({ HERALD_ROUTE_EMAIL: 'smtp,sandbox', SMTP_URL: 'smtp://x', EMAIL_FROM: 'a@b.c' }),
    ).toMatch(
      /routes to sandbox, which fakes delivery: set HERALD_ALLOW_SANDBOX=true to allow it\n\s+→ at HERALD_ROUTE_EMAIL/,
    );
  });

  it('parses pacing into token bucket rules, burst one second at least 1', () => {
    expect(parse({ HERALD_PACING: 'twilio=0.5, sns=100' }).HERALD_PACING).toEqual({
      twilio: { ratePerSecond: 0.5, burst: 1 },
      sns: { ratePerSecond: 100, burst: 100 },
    });
    expect(parse({}).HERALD_PACING).toEqual({});
  });

  it.each(['twilio', 'twilio=0', 'twilio=x', '=5'])('refuses pacing %j', (pacing) => {
    expect(problemsOf({ HERALD_PACING: pacing })).toMatch(
      /is not provider=messagesPerSecond\n\s+→ at HERALD_PACING/,
    );
  });

  it('parses SLACK_WEBHOOKS into name → URL', () => {
    expect(parse({ SLACK_WEBHOOKS: '{"ops":"https://hooks.slack.com/x"}' }).SLACK_WEBHOOKS).toEqual(
      {
        ops: 'https://hooks.slack.com/x',
      },
    );
    expect(parse({}).SLACK_WEBHOOKS).toEqual({});
  });

  it.each(['not json', '"a string"', '{"ops":1}', 'null'])('refuses SLACK_WEBHOOKS %j', (value) => {
    expect(problemsOf({ SLACK_WEBHOOKS: value })).toMatch(
      /must be a JSON object of name → webhook URL\n\s+→ at SLACK_WEBHOOKS/,
    );
  });
});
