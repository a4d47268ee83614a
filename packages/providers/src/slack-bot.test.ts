import {
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
} from '@slack/web-api';
import { translateSlackApiError } from './slack-bot';

const platform = (error: string) => new WebAPIPlatformError({ ok: false, error });

describe('translateSlackApiError', () => {
  it.each([
    ['token_revoked', true, 'provider_auth_failed'],
    ['invalid_auth', true, 'provider_auth_failed'],
    ['missing_scope', true, 'provider_auth_failed'],
    ['is_archived', false, 'recipient_unreachable'],
    ['internal_error', true, 'provider_unavailable'],
    ['msg_too_long', false, 'provider_rejected'],
    ['invalid_blocks', false, 'provider_rejected'],
  ] as const)('%s → retryable %s, %s', (code, retryable, reasonCode) => {
    expect(translateSlackApiError(platform(code), 'slack-bot')).toMatchObject({
      retryable,
      reasonCode,
      providerCode: code,
    });
  });

  it('keeps Retry-After from ratelimited, capped at an hour', () => {
    expect(translateSlackApiError(new WebAPIRateLimitedError(30), 'slack-bot')).toMatchObject({
      retryable: true,
      providerCode: 'ratelimited',
      retryAfterMs: 30_000,
    });
    expect(
      translateSlackApiError(new WebAPIRateLimitedError(86_400), 'slack-bot').retryAfterMs,
    ).toBe(3_600_000);
  });

  it('HTTP errors: 5xx transient, other 4xx permanent; network failures transient', () => {
    expect(translateSlackApiError(new WebAPIHTTPError(502, 'Bad Gateway', {}), 'b')).toMatchObject({
      retryable: true,
      reasonCode: 'provider_unavailable',
    });
    expect(translateSlackApiError(new WebAPIHTTPError(400, 'Bad', {}), 'b')).toMatchObject({
      retryable: false,
      reasonCode: 'provider_rejected',
    });
    expect(
      translateSlackApiError(new WebAPIRequestError(new Error('ECONNRESET')), 'b'),
    ).toMatchObject({ retryable: true, reasonCode: 'provider_unavailable' });
  });

  it('never quotes an odd error code', () => {
    const error = translateSlackApiError(platform('<script>'), 'b');
    expect(error.providerCode).toBe('unknown_error');
    expect(error.message).not.toContain('<script>');
  });
});
