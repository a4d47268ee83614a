import { loadWorkerConfig } from './config';

describe('loadWorkerConfig: renamed variables', () => {
  it('reads HERALD_WORKER_CONCURRENCY, with no warning', () => {
    const config = loadWorkerConfig({ HERALD_WORKER_CONCURRENCY: '16' });
    expect(config.HERALD_WORKER_CONCURRENCY).toBe(16);
    expect(config.configWarnings).toEqual([]);
  });

  it('still honours the old WORKER_CONCURRENCY instead of falling back to the default, and warns', () => {
    const config = loadWorkerConfig({ WORKER_CONCURRENCY: '8' });
    expect(config.HERALD_WORKER_CONCURRENCY).toBe(8);
    expect(config.configWarnings).toEqual([
      'WORKER_CONCURRENCY is deprecated: rename it HERALD_WORKER_CONCURRENCY',
    ]);
  });

  it('lets the new name win over the old one', () => {
    const config = loadWorkerConfig({ WORKER_CONCURRENCY: '8', HERALD_WORKER_CONCURRENCY: '16' });
    expect(config.HERALD_WORKER_CONCURRENCY).toBe(16);
    expect(config.configWarnings).toHaveLength(1);
  });

  it('defaults to 32 when neither is set', () => {
    expect(loadWorkerConfig({}).HERALD_WORKER_CONCURRENCY).toBe(32);
  });
});

describe('loadWorkerConfig: every problem at once', () => {
  it('reports a bad route, bad pacing, bad SLACK_WEBHOOKS and a bad number in one CONFIG_INVALID', () => {
    let error: unknown;
    try {
      loadWorkerConfig({
        HERALD_ROUTE_SMS: 'twilio,carrier-pigeon',
        HERALD_PACING: 'twilio=fast',
        SLACK_WEBHOOKS: '[not json',
        HERALD_MAX_ATTEMPTS: 'eight',
      });
    } catch (err) {
      error = err;
    }

    expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
    const message = (error as Error).message;
    expect(message).toContain('unknown provider "carrier-pigeon"');
    expect(message).toContain('→ at HERALD_ROUTE_SMS');
    expect(message).toContain('"twilio=fast" is not provider=messagesPerSecond');
    expect(message).toContain('→ at HERALD_PACING');
    expect(message).toContain('must be a JSON object of name → webhook URL');
    expect(message).toContain('→ at SLACK_WEBHOOKS');
    expect(message).toContain('→ at HERALD_MAX_ATTEMPTS');
  });
});
