import { parseScopes } from './scopes';

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('parseScopes', () => {
  it('parses a comma-separated list, trimming blanks and dropping duplicates', () => {
    expect(parseScopes(' notifications:send , notifications:read,notifications:send')).toEqual([
      'notifications:send',
      'notifications:read',
    ]);
  });

  it('rejects an unknown scope', () => {
    const err = thrownBy(() => parseScopes('notifications:send,admin'));

    expect(err).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((err as Error).message).toContain('admin');
  });

  it('rejects an empty list', () => {
    expect(thrownBy(() => parseScopes(' , '))).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
