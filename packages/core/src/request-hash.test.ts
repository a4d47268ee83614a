import { requestHash } from './request-hash';

describe('requestHash', () => {
  it('ignores key order and undefined values', () => {
    expect(requestHash({ a: 1, b: { c: [1, 2], d: 'x' } })).toBe(
      requestHash({ b: { d: 'x', c: [1, 2] }, a: 1, e: undefined }),
    );
  });

  it('tells different content apart, including array order', () => {
    expect(requestHash({ a: [1, 2] })).not.toBe(requestHash({ a: [2, 1] }));
  });
});
