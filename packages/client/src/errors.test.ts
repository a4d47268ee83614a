import { errorFromResponse, parseRetryAfter } from './errors';

describe('parseRetryAfter', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter(' 120 ')).toBe(120);
  });

  it('turns an HTTP date into seconds from now, never negative', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');

    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
  });

  it('ignores a missing or unreadable header', () => {
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('errorFromResponse', () => {
  it('takes the request id from the body when the header is missing', () => {
    const body = JSON.stringify({
      error: { code: 'INTERNAL', message: 'Internal error', requestId: 'r-body' },
    });

    const err = errorFromResponse(500, 'Internal Server Error', new Headers(), body);

    expect(err).toMatchObject({ status: 500, code: 'INTERNAL', requestId: 'r-body' });
  });

  it('ignores Retry-After outside 429 and 503', () => {
    const err = errorFromResponse(500, '', new Headers({ 'retry-after': '5' }), '');

    expect(err.retryAfterSeconds).toBeUndefined();
    expect(err.message).toBe('HTTP 500');
  });

  it('falls back when the JSON is not the error shape', () => {
    const err = errorFromResponse(400, 'Bad Request', new Headers(), '{"message":"nope"}');

    expect(err).toMatchObject({
      code: 'HTTP_ERROR',
      message: 'HTTP 400 Bad Request',
      details: { body: '{"message":"nope"}' },
    });
  });
});
