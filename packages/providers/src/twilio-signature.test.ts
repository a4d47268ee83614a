import { signTwilioRequest } from './testing';
import { verifyTwilioSignature } from './twilio-signature';

const AUTH_TOKEN = '12345678901234567890123456789012';
const URL = 'https://herald.test/v1/providers/twilio/status?id=ntf_0123456789abcdefghijklmnop';
const PARAMS = {
  MessageSid: 'SM0123456789abcdef0123456789abcdef',
  MessageStatus: 'delivered',
  AccountSid: 'AC0123456789abcdef0123456789abcdef',
};

describe('verifyTwilioSignature', () => {
  it('accepts a correctly signed status callback', () => {
    const signature = signTwilioRequest(AUTH_TOKEN, URL, PARAMS);

    expect(
      verifyTwilioSignature({ authToken: AUTH_TOKEN, url: URL, params: PARAMS, signature }),
    ).toBe(true);
  });

  it('rejects a callback whose parameters were tampered with', () => {
    const signature = signTwilioRequest(AUTH_TOKEN, URL, PARAMS);
    const params = { ...PARAMS, MessageStatus: 'failed' };

    expect(verifyTwilioSignature({ authToken: AUTH_TOKEN, url: URL, params, signature })).toBe(
      false,
    );
  });

  it('rejects a callback signed for another URL', () => {
    const signature = signTwilioRequest(AUTH_TOKEN, URL, PARAMS);
    const url = URL.replace('ntf_0123456789abcdefghijklmnop', 'ntf_zzzzzzzzzzzzzzzzzzzzzzzzzz');

    expect(verifyTwilioSignature({ authToken: AUTH_TOKEN, url, params: PARAMS, signature })).toBe(
      false,
    );
  });

  it('rejects a callback signed with another auth token', () => {
    const signature = signTwilioRequest('another-token', URL, PARAMS);

    expect(
      verifyTwilioSignature({ authToken: AUTH_TOKEN, url: URL, params: PARAMS, signature }),
    ).toBe(false);
  });

  it('rejects a missing signature and a malformed URL without throwing', () => {
    const signature = signTwilioRequest(AUTH_TOKEN, URL, PARAMS);

    expect(
      verifyTwilioSignature({ authToken: AUTH_TOKEN, url: URL, params: PARAMS, signature: '' }),
    ).toBe(false);
    expect(
      verifyTwilioSignature({ authToken: AUTH_TOKEN, url: 'not a url', params: PARAMS, signature }),
    ).toBe(false);
  });
});
