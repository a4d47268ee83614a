import { applyRenamedEnv } from './renamed-env';

const RENAMED = { WORKER_CONCURRENCY: 'HERALD_WORKER_CONCURRENCY' } as const;

describe('applyRenamedEnv', () => {
  it('uses a value set only under the old name, and warns', () => {
    const { env, warnings } = applyRenamedEnv({ WORKER_CONCURRENCY: '8' }, RENAMED);
    expect(env.HERALD_WORKER_CONCURRENCY).toBe('8');
    expect(warnings).toEqual([
      'WORKER_CONCURRENCY is deprecated: rename it HERALD_WORKER_CONCURRENCY',
    ]);
  });

  it('lets the new name win when both are set, and warns that the old one is ignored', () => {
    const { env, warnings } = applyRenamedEnv(
      { WORKER_CONCURRENCY: '8', HERALD_WORKER_CONCURRENCY: '16' },
      RENAMED,
    );
    expect(env.HERALD_WORKER_CONCURRENCY).toBe('16');
    expect(warnings).toEqual([
      'WORKER_CONCURRENCY is ignored: HERALD_WORKER_CONCURRENCY is set too; remove WORKER_CONCURRENCY',
    ]);
  });

  it('changes nothing and warns about nothing when only the new name is set', () => {
    const input = { HERALD_WORKER_CONCURRENCY: '16', OTHER: 'x' };
    const { env, warnings } = applyRenamedEnv(input, RENAMED);
    expect(env).toEqual(input);
    expect(warnings).toEqual([]);
  });

  it('treats an empty old value as unset', () => {
    const { env, warnings } = applyRenamedEnv({ WORKER_CONCURRENCY: '' }, RENAMED);
    expect(env.HERALD_WORKER_CONCURRENCY).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  it('does not modify the environment it is given', () => {
    const input = { WORKER_CONCURRENCY: '8' };
    applyRenamedEnv(input, RENAMED);
    expect(input).toEqual({ WORKER_CONCURRENCY: '8' });
  });
});
