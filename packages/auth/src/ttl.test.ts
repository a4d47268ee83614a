import { parseTtl } from './ttl';

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('parseTtl', () => {
  it.each([
    ['30d', 30 * 86_400],
    ['12h', 12 * 3600],
    ['15m', 15 * 60],
    ['3600s', 3600],
    ['3600', 3600],
    ['1m', 60],
    ['400d', 400 * 86_400],
  ])('reads %s as %d seconds', (input, seconds) => {
    expect(parseTtl(input)).toBe(seconds);
  });

  it.each(['', 'abc', '10w', '-5m', '1.5h', '30 d', '59s', '401d', '0'])('rejects %p', (input) => {
    expect(thrownBy(() => parseTtl(input))).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
