import { translateApnsAnswer } from './apns-error';

function answer(status: number, reason?: string, headers: Record<string, string> = {}) {
  return translateApnsAnswer(
    { status, headers, body: reason === undefined ? '' : JSON.stringify({ reason }) },
    'apns',
  );
}

describe('translateApnsAnswer', () => {
  it.each([
    [410, 'Unregistered', 'subscription_gone', true],
    [410, 'ExpiredToken', 'subscription_gone', true],
    [400, 'BadDeviceToken', 'recipient_invalid', true],
  ])('makes %i %s a permanent %s that marks the target dead', (status, reason, code, dead) => {
    const err = answer(status, reason);

    expect(err).toMatchObject({
      retryable: false,
      reasonCode: code,
      deadTarget: dead,
      providerCode: reason,
      message: `APNs answered ${status} (${reason})`,
    });
  });

  it.each([
    [413, 'PayloadTooLarge', 'payload_too_large'],
    [400, 'DeviceTokenNotForTopic', 'recipient_invalid'],
    [400, 'BadTopic', 'provider_rejected'],
    [400, 'BadExpirationDate', 'provider_rejected'],
    [404, 'BadPath', 'provider_rejected'],
  ])('makes %i %s a permanent %s without marking the target', (status, reason, code) => {
    expect(answer(status, reason)).toMatchObject({
      retryable: false,
      reasonCode: code,
      deadTarget: false,
    });
  });

  it.each([
    [403, 'InvalidProviderToken'],
    [403, 'ExpiredProviderToken'],
    [403, 'MissingProviderToken'],
    [403, undefined],
  ])('makes %i %s a retryable provider_auth_failed', (status, reason) => {
    expect(answer(status, reason)).toMatchObject({
      retryable: true,
      reasonCode: 'provider_auth_failed',
    });
  });

  it.each([
    [429, 'TooManyRequests'],
    [429, 'TooManyProviderTokenUpdates'],
    [500, 'InternalServerError'],
    [503, 'ServiceUnavailable'],
    [503, 'Shutdown'],
    [0, undefined],
  ])('makes %i %s a retryable provider_unavailable', (status, reason) => {
    expect(answer(status, reason)).toMatchObject({
      retryable: true,
      reasonCode: 'provider_unavailable',
      deadTarget: false,
    });
  });

  it('carries Retry-After (seconds) on transient answers only', () => {
    expect(answer(429, 'TooManyRequests', { 'retry-after': '30' }).retryAfterMs).toBe(30_000);
    expect(answer(503, 'ServiceUnavailable').retryAfterMs).toBeUndefined();
    expect(answer(410, 'Unregistered', { 'retry-after': '30' }).retryAfterMs).toBeUndefined();
  });

  it('quotes only a reason that looks like one, never the body', () => {
    const err = translateApnsAnswer(
      { status: 400, headers: {}, body: '{"reason":"device 0a1b… is bad"}' },
      'apns',
    );

    expect(err).toMatchObject({ message: 'APNs answered 400', providerCode: '400' });
  });
});
