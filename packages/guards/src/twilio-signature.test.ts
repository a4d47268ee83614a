// The real SDK signs and judges: our verifier must agree with Twilio's own code.
import { getExpectedTwilioSignature, validateRequest } from 'twilio';
import { verifyTwilioSignature } from './twilio-signature';

const AUTH_TOKEN = '12345678901234567890123456789012';
const URL = 'https://herald.test/v1/providers/twilio/status?id=ntf_0123456789abcdefghijklmnop';
const PARAMS: Record<string, string> = {
  MessageSid: 'SM0123456789abcdef0123456789abcdef',
  MessageStatus: 'delivered',
  AccountSid: 'AC0123456789abcdef0123456789abcdef',
};

const signTwilioRequest = getExpectedTwilioSignature;

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

  describe('agrees with the twilio SDK', () => {
    const urls = [
      URL,
      'https://herald.test:443/v1/providers/twilio/status?id=ntf_0123456789abcdefghijklmnop',
      'https://herald.test:8443/v1/providers/twilio/status?id=a',
      'http://localhost:3000/v1/providers/twilio/status?id=a&x=1',
      "https://herald.test/v1/providers/twilio/status?id=it's&q=a%20b&e=caf%C3%A9",
      'https://[2001:db8::1]/v1/providers/twilio/status',
      'https://herald.test/v1/providers/twilio/status',
    ];
    const params: Record<string, string>[] = [
      PARAMS,
      {},
      { Body: 'Grüße & <hello>', To: '+447700900123', a: '', B: 'upper before lower' },
    ];
    const cases = urls.flatMap((url) => params.map((p) => [url, p] as const));

    it.each(cases)(
      '%s: the same verdict for a genuine, tampered and wrongly keyed request',
      (url, p) => {
        const genuine = getExpectedTwilioSignature(AUTH_TOKEN, url, p);
        const tampered = { ...p, MessageStatus: 'undelivered' };
        const wrongKey = getExpectedTwilioSignature('another-token', url, p);
        const verdicts: [Record<string, string>, string][] = [
          [p, genuine],
          [tampered, genuine],
          [p, wrongKey],
        ];
        for (const [ps, signature] of verdicts) {
          expect(verifyTwilioSignature({ authToken: AUTH_TOKEN, url, params: ps, signature })).toBe(
            validateRequest(AUTH_TOKEN, signature, url, ps),
          );
        }
        expect(
          verifyTwilioSignature({ authToken: AUTH_TOKEN, url, params: p, signature: genuine }),
        ).toBe(true);
        expect(
          verifyTwilioSignature({
            authToken: AUTH_TOKEN,
            url,
            params: tampered,
            signature: genuine,
          }),
        ).toBe(false);
        expect(
          verifyTwilioSignature({ authToken: AUTH_TOKEN, url, params: p, signature: wrongKey }),
        ).toBe(false);
      },
    );

    it('accepts, as the SDK does, a signature over the URL with or without its default port', () => {
      const bare = 'https://herald.test/v1/providers/twilio/status?id=a';
      const ported = 'https://herald.test:443/v1/providers/twilio/status?id=a';
      for (const [signedFor, received] of [
        [bare, ported],
        [ported, bare],
      ] as const) {
        const signature = getExpectedTwilioSignature(AUTH_TOKEN, signedFor, PARAMS);
        const ours = verifyTwilioSignature({
          authToken: AUTH_TOKEN,
          url: received,
          params: PARAMS,
          signature,
        });
        expect(ours).toBe(validateRequest(AUTH_TOKEN, signature, received, PARAMS));
        expect(ours).toBe(true);
      }
    });

    it('accepts, as the SDK does, a signature over the normalized or legacy-escaped URL', () => {
      const received = "https://herald.test/v1/providers/twilio/status?id=it's";
      for (const signedFor of [
        new globalThis.URL(received).toString(),
        'https://herald.test/v1/providers/twilio/status?id=it%27s',
      ]) {
        const signature = getExpectedTwilioSignature(AUTH_TOKEN, signedFor, PARAMS);
        const ours = verifyTwilioSignature({
          authToken: AUTH_TOKEN,
          url: received,
          params: PARAMS,
          signature,
        });
        expect(ours).toBe(validateRequest(AUTH_TOKEN, signature, received, PARAMS));
      }
    });

    it('refuses, as the SDK does, a signature over another host or path', () => {
      const signature = getExpectedTwilioSignature(
        AUTH_TOKEN,
        'https://evil.test/v1/providers/twilio/status',
        PARAMS,
      );
      const url = 'https://herald.test/v1/providers/twilio/status';
      expect(validateRequest(AUTH_TOKEN, signature, url, PARAMS)).toBe(false);
      expect(verifyTwilioSignature({ authToken: AUTH_TOKEN, url, params: PARAMS, signature })).toBe(
        false,
      );
    });
  });
});
