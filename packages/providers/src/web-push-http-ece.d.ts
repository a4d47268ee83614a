/**
 * The part of `http_ece` (RFC 8188/8291 encrypted content coding, no published types) that the
 * test push service uses to decrypt what web-push sent.
 */
declare module 'http_ece' {
  import type { ECDH } from 'node:crypto';

  interface DecryptParams {
    version: 'aes128gcm';
    /** The receiver's (the browser's) key pair. */
    privateKey: ECDH;
    /** The subscription's auth secret, base64url or raw. */
    authSecret: string | Buffer;
  }

  export function decrypt(buffer: Buffer, params: DecryptParams): Buffer;
}
