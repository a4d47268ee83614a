import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header that carries `signCallback`'s value on every callback. */
export const CALLBACK_SIGNATURE_HEADER = 'Herald-Signature';

const SIGNATURE_HEX = /^[0-9a-f]{64}$/;
const TIMESTAMP = /^\d{1,12}$/;

/**
 * The `Herald-Signature` value for a callback body: `t=<timestamp>,v1=<hex>`, where `<hex>` is
 * HMAC-SHA256 keyed with the UTF-8 bytes of `secret` over `${timestamp}.${body}` (Stripe's
 * scheme). `timestamp` is in whole Unix seconds (a RangeError otherwise); signing the same input twice gives the same value.
 */
export function signCallback(p: { secret: string; timestamp: number; body: string }): string {
  if (!Number.isSafeInteger(p.timestamp) || p.timestamp < 0) {
    throw new RangeError('timestamp must be whole Unix seconds');
  }
  return `t=${p.timestamp},v1=${hmacHex(p.secret, p.timestamp, p.body)}`;
}

/**
 * Whether `header` is a valid `Herald-Signature` for `body`: a `v1` signature matches (compared in
 * constant time; several `v1` entries are allowed, any may match) and its timestamp is within
 * `toleranceSeconds` (default 300) of `now` (Unix seconds, default the system clock), which
 * limits replays. Malformed headers give `false`; this never throws.
 */
export function verifyCallbackSignature(p: {
  secret: string;
  header: string;
  body: string;
  toleranceSeconds?: number;
  now?: number;
}): boolean {
  const parts = p.header.split(',').map((part) => {
    const eq = part.indexOf('=');
    return eq < 0
      ? (['', ''] as const)
      : ([part.slice(0, eq).trim(), part.slice(eq + 1).trim()] as const);
  });
  const timestamps = parts.filter(([key]) => key === 't').map(([, value]) => value);
  const [t] = timestamps;
  if (timestamps.length !== 1 || t === undefined || !TIMESTAMP.test(t)) return false;
  const now = p.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(t)) > (p.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(hmacHex(p.secret, t, p.body), 'hex');
  return parts.some(
    ([key, value]) =>
      key === 'v1' &&
      SIGNATURE_HEX.test(value) &&
      timingSafeEqual(Buffer.from(value, 'hex'), expected),
  );
}

/**
 * The callback signing secret of one client: base64url HMAC-SHA256(masterSecret,
 * `callback:${clientId}`). Derived on demand, so nothing is stored; the cli shows it to the
 * client. Rotating `masterSecret` changes every client's secret.
 */
export function deriveClientSecret(masterSecret: string, clientId: string): string {
  return createHmac('sha256', masterSecret).update(`callback:${clientId}`).digest('base64url');
}

function hmacHex(secret: string, timestamp: number | string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}
