// The webhooks module alone: the whole SDK would add ~25 MB to the api, which only needs this.
import { validateRequest } from 'twilio/lib/webhooks/webhooks';

export interface TwilioSignedRequest {
  authToken: string;
  /** The full URL Twilio requested, as Twilio saw it (scheme, host, port, path and query). */
  url: string;
  /** The form-encoded POST parameters. */
  params: Record<string, string>;
  /** The `X-Twilio-Signature` header. */
  signature: string;
}

/**
 * Whether `X-Twilio-Signature` proves Twilio sent this request (a status callback to
 * `POST /v1/providers/twilio/status`), using the SDK's own `validateRequest`: HMAC-SHA1 of the
 * URL plus the sorted parameters, keyed with the auth token, compared in constant time.
 * Never throws: a missing signature or a malformed URL is simply `false`.
 */
export function verifyTwilioSignature(req: TwilioSignedRequest): boolean {
  if (req.authToken === '' || req.signature === '') return false;
  try {
    return validateRequest(req.authToken, req.signature, req.url, req.params);
  } catch {
    return false;
  }
}
