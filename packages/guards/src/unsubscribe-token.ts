import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** What an unsubscribe link names: one recipient of one client, and the topic to leave. */
export interface UnsubscribeTarget {
  clientId: string;
  recipientId: string;
  topicId: string;
}

/** Signs and checks unsubscribe link tokens with one link secret. */
export interface UnsubscribeTokens {
  /** The token for `target`: base64url, URL-safe as a path segment; the same input, the same token. */
  sign(target: UnsubscribeTarget): string;
  /**
   * The target a token names, or `undefined` for anything that is not a token this secret
   * signed (malformed, truncated, tampered, another secret's). Never throws.
   */
  verify(token: string): UnsubscribeTarget | undefined;
}

/** The link secret must carry at least this many bytes. */
export const MIN_LINK_SECRET_BYTES = 32;

/** A token longer than this is refused before any decoding (bounded work for any input). */
export const MAX_UNSUBSCRIBE_TOKEN_LENGTH = 1024;

const VERSION = 1;
/** HMAC-SHA256 truncated to 128 bits: forging one is a 2^-128 guess per try. */
const MAC_BYTES = 16;
const MAX_FIELD_LENGTH = 256;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * The link secret's bytes: an even number of hex digits is read as hex, anything else as base64
 * (standard or URL-safe alphabet, padding optional). Returns `undefined` when it is neither or
 * decodes to fewer than {@link MIN_LINK_SECRET_BYTES} bytes. The api and the worker decode it
 * alike, so they derive the same key.
 */
export function decodeLinkSecret(secret: string): Buffer | undefined {
  const s = secret.trim();
  let bytes: Buffer;
  if (/^(?:[0-9a-fA-F]{2})+$/.test(s)) bytes = Buffer.from(s, 'hex');
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(s) && s.replace(/=+$/, '').length % 4 !== 1) {
    bytes = Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  } else return undefined;
  return bytes.length >= MIN_LINK_SECRET_BYTES ? bytes : undefined;
}

/**
 * Unsubscribe tokens keyed by a key derived from the link secret (HKDF-SHA256, info
 * `herald unsubscribe link v1`), so the secret itself never signs anything and other link kinds
 * can derive their own keys from it. A token is base64url of: a version byte, the first 16
 * bytes of HMAC-SHA256(key, version ‖ payload), and the payload (JSON `[clientId, recipientId,
 * topicId]`). No expiry: RFC 8058 links must keep working in old mail; rotating the secret
 * retires every link. Throws a RangeError for a secret {@link decodeLinkSecret} refuses.
 */
export function createUnsubscribeTokens(linkSecret: string): UnsubscribeTokens {
  const secret = decodeLinkSecret(linkSecret);
  if (secret === undefined) {
    throw new RangeError(
      `the link secret must be hex or base64 of at least ${MIN_LINK_SECRET_BYTES} bytes`,
    );
  }
  const key = Buffer.from(hkdfSync('sha256', secret, '', 'herald unsubscribe link v1', 32));
  const mac = (signed: Buffer) =>
    createHmac('sha256', key).update(signed).digest().subarray(0, MAC_BYTES);

  return {
    sign(target) {
      for (const value of [target.clientId, target.recipientId, target.topicId]) {
        if (!validField(value))
          throw new RangeError('unsubscribe target fields must be 1–256 characters');
      }
      const payload = Buffer.from(
        JSON.stringify([target.clientId, target.recipientId, target.topicId]),
        'utf8',
      );
      const signed = Buffer.concat([Buffer.of(VERSION), payload]);
      return Buffer.concat([signed.subarray(0, 1), mac(signed), payload]).toString('base64url');
    },

    verify(token) {
      if (token.length > MAX_UNSUBSCRIBE_TOKEN_LENGTH || !BASE64URL.test(token)) return undefined;
      const raw = Buffer.from(token, 'base64url');
      // Canonical encoding only: one token per target, so a token cannot be varied and replayed.
      if (raw.toString('base64url') !== token) return undefined;
      if (raw.length < 1 + MAC_BYTES + 2 || raw[0] !== VERSION) return undefined;
      const given = raw.subarray(1, 1 + MAC_BYTES);
      const payload = raw.subarray(1 + MAC_BYTES);
      const expected = mac(Buffer.concat([raw.subarray(0, 1), payload]));
      if (!timingSafeEqual(given, expected)) return undefined;
      return targetOf(payload);
    },
  };
}

function targetOf(payload: Buffer): UnsubscribeTarget | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) return undefined;
  const fields = parsed as unknown[];
  const [clientId, recipientId, topicId] = fields;
  if (!validField(clientId) || !validField(recipientId) || !validField(topicId)) return undefined;
  return { clientId, recipientId, topicId };
}

function validField(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_FIELD_LENGTH;
}
