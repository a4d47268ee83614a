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
