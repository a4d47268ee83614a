import { parseFcmFailure, translateFcmFailure } from './fcm-error';
import { fcmError } from './testing-fcm';

function translated(httpStatus: number, status: string, errorCode?: string, retryAfterMs?: number) {
  const failure = parseFcmFailure(
    httpStatus,
    fcmError(httpStatus, status, errorCode).body,
    retryAfterMs,
  );
  return translateFcmFailure(failure, 'fcm');
}

describe('FCM error classification', () => {
  it.each([
    [404, 'NOT_FOUND', 'UNREGISTERED', false, 'subscription_gone', true],
    [400, 'INVALID_ARGUMENT', 'UNREGISTERED', false, 'subscription_gone', true],
    [403, 'PERMISSION_DENIED', 'SENDER_ID_MISMATCH', false, 'recipient_invalid', false],
    [401, 'UNAUTHENTICATED', undefined, true, 'provider_auth_failed', false],
    [403, 'PERMISSION_DENIED', undefined, true, 'provider_auth_failed', false],
    [401, 'UNAUTHENTICATED', 'THIRD_PARTY_AUTH_ERROR', true, 'provider_auth_failed', false],
    [429, 'RESOURCE_EXHAUSTED', 'QUOTA_EXCEEDED', true, 'provider_unavailable', false],
    [503, 'UNAVAILABLE', 'UNAVAILABLE', true, 'provider_unavailable', false],
    [500, 'INTERNAL', 'INTERNAL', true, 'provider_unavailable', false],
    [400, 'INVALID_ARGUMENT', 'INVALID_ARGUMENT', false, 'provider_rejected', false],
  ] as const)(
    '%d %s %s → retryable %s, %s, deadTarget %s',
    (httpStatus, status, errorCode, retryable, reasonCode, deadTarget) => {
      expect(translated(httpStatus, status, errorCode)).toMatchObject({
        retryable,
        reasonCode,
        deadTarget,
        providerCode: errorCode ?? status,
      });
    },
  );

  it('marks a malformed token dead: INVALID_ARGUMENT naming message.token', () => {
    const body = {
      error: {
        code: 400,
        status: 'INVALID_ARGUMENT',
        message: 'Invalid value at message.token',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.BadRequest',
            fieldViolations: [
              { field: 'message.token', description: 'Invalid registration token' },
            ],
          },
          {
            '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError',
            errorCode: 'INVALID_ARGUMENT',
          },
        ],
      },
    };
    const error = translateFcmFailure(parseFcmFailure(400, body, undefined), 'fcm');
    expect(error).toMatchObject({
      retryable: false,
      reasonCode: 'recipient_invalid',
      deadTarget: true,
    });
  });

  it("recognises FCM's sentence for a malformed token", () => {
    const body = {
      error: {
        code: 400,
        status: 'INVALID_ARGUMENT',
        message: 'The registration token is not a valid FCM registration token',
      },
    };
    expect(translateFcmFailure(parseFcmFailure(400, body, undefined), 'fcm').deadTarget).toBe(true);
  });

  it('carries Retry-After on transient failures only', () => {
    expect(translated(429, 'RESOURCE_EXHAUSTED', 'QUOTA_EXCEEDED', 30_000).retryAfterMs).toBe(
      30_000,
    );
    expect(translated(404, 'NOT_FOUND', 'UNREGISTERED', 30_000).retryAfterMs).toBeUndefined();
  });

  it("classifies by HTTP status when the body is not FCM's, and never quotes the body", () => {
    const error = translateFcmFailure(
      parseFcmFailure(502, '<html>token abc</html>', undefined),
      'fcm',
    );
    expect(error).toMatchObject({
      retryable: true,
      reasonCode: 'provider_unavailable',
      providerCode: '502',
    });
    expect(error.message).not.toContain('abc');
  });
});
