import { translateTwilioError } from './twilio-error';

function restException(status: number, code?: number, message = 'failed'): Error {
  return Object.assign(new Error(message), {
    status,
    ...(code !== undefined ? { code, moreInfo: `https://www.twilio.com/docs/errors/${code}` } : {}),
  });
}

function networkError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:1`), {
    code,
    isAxiosError: true,
    config: {
      data: 'To=%2B447700900123&Body=secret',
      headers: { Authorization: 'Basic QUM6dG9rZW4=' },
    },
  });
}

const notAborted = { aborted: false };

describe('translateTwilioError', () => {
  it.each([
    [400, 21211, 'recipient_invalid'],
    [400, 21214, 'recipient_invalid'],
    [400, 21217, 'recipient_invalid'],
    [400, 21219, 'recipient_unreachable'],
    [400, 21401, 'recipient_invalid'],
    [400, 21407, 'recipient_unreachable'],
    [400, 21408, 'recipient_unreachable'],
    [400, 21421, 'recipient_invalid'],
    [400, 21604, 'recipient_invalid'],
    [400, 21610, 'recipient_opted_out'],
    [400, 21612, 'recipient_unreachable'],
    [400, 21614, 'recipient_invalid'],
    [400, 30003, 'recipient_unreachable'],
    [400, 30004, 'recipient_blocked'],
    [400, 30005, 'recipient_invalid'],
    [400, 30006, 'recipient_unreachable'],
    [400, 30007, 'recipient_blocked'],
    [400, 63016, 'provider_rejected'],
    [400, 63024, 'provider_rejected'],
    [400, 63032, 'provider_rejected'],
    [400, 21606, 'provider_rejected'],
    [403, 20008, 'provider_rejected'],
    [404, 20404, 'provider_rejected'],
    [400, undefined, 'provider_rejected'],
  ])('treats HTTP %i with code %s as permanent %s', (status, code, reasonCode) => {
    const err = translateTwilioError(restException(status, code), 'twilio', notAborted);

    expect(err).toMatchObject({
      code: 'PROVIDER_FAILED',
      provider: 'twilio',
      retryable: false,
      reasonCode,
      providerCode: String(code ?? status),
    });
  });

  it.each([
    [429, 20429, 'provider_unavailable'],
    [429, undefined, 'provider_unavailable'],
    [400, 20429, 'provider_unavailable'],
    [500, 20500, 'provider_unavailable'],
    [502, undefined, 'provider_unavailable'],
    [503, 20503, 'provider_unavailable'],
    [401, 20003, 'provider_auth_failed'],
    [401, undefined, 'provider_auth_failed'],
    [403, 20003, 'provider_auth_failed'],
  ])('treats HTTP %i with code %s as retryable %s', (status, code, reasonCode) => {
    const err = translateTwilioError(restException(status, code), 'twilio', notAborted);

    expect(err).toMatchObject({ retryable: true, reasonCode });
  });

  it.each(['ECONNREFUSED', 'ETIMEDOUT', 'ECONNRESET', 'ECONNABORTED', 'ERR_NETWORK'])(
    'treats the network error %s as retryable',
    (code) => {
      const err = translateTwilioError(networkError(code), 'twilio', notAborted);

      expect(err).toMatchObject({
        retryable: true,
        reasonCode: 'provider_unavailable',
        providerCode: code,
      });
      expect(err.message).toContain(code);
    },
  );

  it('treats an axios error with a 5xx response as retryable', () => {
    const cause = Object.assign(new Error('Request failed'), {
      isAxiosError: true,
      response: { status: 502 },
    });

    const err = translateTwilioError(cause, 'twilio', notAborted);

    expect(err).toMatchObject({ retryable: true, providerCode: '502' });
  });

  it('treats anything unrecognised as retryable', () => {
    expect(translateTwilioError('boom', 'twilio', notAborted)).toMatchObject({
      retryable: true,
      reasonCode: 'provider_unavailable',
    });
  });

  it('reports a timeout when the caller aborted, whatever was thrown', () => {
    const err = translateTwilioError(restException(400, 21211), 'twilio', { aborted: true });

    expect(err).toMatchObject({ retryable: true, reasonCode: 'provider_timeout' });
  });

  it('builds its message from codes, never from Twilio text', () => {
    const cause = restException(
      400,
      21211,
      "The 'To' number +44 7700 900123 is not a valid phone number. Body: hi",
    );

    const err = translateTwilioError(cause, 'twilio', notAborted);

    expect(err.message).toBe('Twilio: the recipient number is invalid (HTTP 400, code 21211)');
  });

  it('keeps codes in the cause but redacts numbers and drops the request', () => {
    const err = translateTwilioError(networkError('ECONNRESET'), 'twilio', notAborted);
    const withNumber = translateTwilioError(
      restException(400, 21610, 'Attempt to send to unsubscribed recipient whatsapp:+447700900123'),
      'twilio',
      notAborted,
    );

    expect(err.cause).toMatchObject({ code: 'ECONNRESET' });
    expect(err.cause).not.toHaveProperty('config');
    expect(JSON.stringify(err.cause)).not.toContain('QUM6dG9rZW4');
    expect(withNumber.cause).toMatchObject({
      status: 400,
      code: 21610,
      moreInfo: 'https://www.twilio.com/docs/errors/21610',
    });
    expect((withNumber.cause as Error).message).not.toContain('7700900123');
    expect((withNumber.cause as Error).stack).not.toContain('7700900123');
  });
});
