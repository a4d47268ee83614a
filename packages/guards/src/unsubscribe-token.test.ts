import { randomBytes } from 'node:crypto';
import {
  MAX_UNSUBSCRIBE_TOKEN_LENGTH,
  createUnsubscribeTokens,
  decodeLinkSecret,
  type UnsubscribeTarget,
} from './unsubscribe-token';

const secret = randomBytes(32).toString('base64');
const target: UnsubscribeTarget = {
  clientId: 'acme',
  recipientId: 'alice@example.com',
  topicId: '6f1c2f4e-8a3b-4c5d-9e7f-0a1b2c3d4e5f',
};

/** The token with one byte of its decoded form changed. */
function flipByte(token: string, index: number): string {
  const raw = Buffer.from(token, 'base64url');
  raw[index] = (raw[index] ?? 0) ^ 0x01;
  return raw.toString('base64url');
}

describe('unsubscribe tokens', () => {
  const tokens = createUnsubscribeTokens(secret);

  it('round-trips the target, as a URL-safe path segment', () => {
    const token = tokens.sign(target);

    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(tokens.verify(token)).toEqual(target);
  });

  it('gives the same token for the same target and different ones for different targets', () => {
    expect(tokens.sign(target)).toBe(tokens.sign({ ...target }));
    expect(tokens.sign({ ...target, clientId: 'other' })).not.toBe(tokens.sign(target));
    expect(tokens.sign({ ...target, recipientId: 'bob' })).not.toBe(tokens.sign(target));
  });

  it('refuses a token with any byte changed (version, MAC or payload)', () => {
    const token = tokens.sign(target);
    const length = Buffer.from(token, 'base64url').length;

    for (let i = 0; i < length; i++) expect(tokens.verify(flipByte(token, i))).toBeUndefined();
  });

  it('refuses a payload swapped under a valid MAC', () => {
    const mine = Buffer.from(tokens.sign(target), 'base64url');
    const other = Buffer.from(tokens.sign({ ...target, clientId: 'evil' }), 'base64url');
    const spliced = Buffer.concat([mine.subarray(0, 17), other.subarray(17)]);

    expect(tokens.verify(spliced.toString('base64url'))).toBeUndefined();
  });

  it("refuses another secret's token", () => {
    const other = createUnsubscribeTokens(randomBytes(32).toString('hex'));

    expect(other.verify(tokens.sign(target))).toBeUndefined();
  });

  it('refuses every truncation', () => {
    const token = tokens.sign(target);

    for (let n = 0; n < token.length; n++) expect(tokens.verify(token.slice(0, n))).toBeUndefined();
  });

  it('refuses malformed input without throwing', () => {
    for (const bad of ['', '!!!', 'a.b', '%00', 'A'.repeat(MAX_UNSUBSCRIBE_TOKEN_LENGTH + 1)]) {
      expect(tokens.verify(bad)).toBeUndefined();
    }
  });

  it('refuses a non-canonical encoding of a valid token', () => {
    const token = tokens.sign(target);
    // The last character's unused low bits changed: decodes to the same bytes.
    const last = token.at(-1) ?? 'A';
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const variants = [...alphabet]
      .map((c) => token.slice(0, -1) + c)
      .filter(
        (t) =>
          t.at(-1) !== last && Buffer.from(t, 'base64url').equals(Buffer.from(token, 'base64url')),
      );

    for (const variant of variants) expect(tokens.verify(variant)).toBeUndefined();
  });

  it('will not sign empty or overlong fields', () => {
    expect(() => tokens.sign({ ...target, recipientId: '' })).toThrow(RangeError);
    expect(() => tokens.sign({ ...target, clientId: 'c'.repeat(257) })).toThrow(RangeError);
  });
});

describe('decodeLinkSecret', () => {
  it('reads hex and base64 (either alphabet) of 32 bytes or more', () => {
    const bytes = randomBytes(32);

    expect(decodeLinkSecret(bytes.toString('hex'))).toEqual(bytes);
    expect(decodeLinkSecret(bytes.toString('base64'))).toEqual(bytes);
    expect(decodeLinkSecret(bytes.toString('base64url'))).toEqual(bytes);
  });

  it('refuses short or malformed secrets', () => {
    expect(decodeLinkSecret(randomBytes(31).toString('hex'))).toBeUndefined();
    expect(decodeLinkSecret(randomBytes(31).toString('base64'))).toBeUndefined();
    expect(decodeLinkSecret('not a secret at all, spaces and all!')).toBeUndefined();
    expect(() => createUnsubscribeTokens('short')).toThrow(RangeError);
  });
});
