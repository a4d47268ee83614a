import { createHmac } from 'node:crypto';
import { deriveClientSecret, signCallback, verifyCallbackSignature } from './callback-signature';

const secret = 'whsec-test-secret';
const body = '{"id":"ntf_1","status":"Delivered","at":"2025-01-01T00:00:00.000Z"}';
const timestamp = 1_735_689_600;

describe('signCallback', () => {
  it('formats t=<timestamp>,v1=<hex HMAC-SHA256 of "timestamp.body">', () => {
    const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

    const header = signCallback({ secret, timestamp, body });

    expect(header).toBe(`t=${timestamp},v1=${expected}`);
  });

  it('rejects a timestamp that is not whole seconds', () => {
    expect(() => signCallback({ secret, timestamp: 1.5, body })).toThrow(RangeError);
  });
});

describe('verifyCallbackSignature', () => {
  const header = signCallback({ secret, timestamp, body });

  it('accepts its own signature', () => {
    expect(verifyCallbackSignature({ secret, header, body, now: timestamp })).toBe(true);
  });

  it('rejects a tampered body', () => {
    const tampered = body.replace('Delivered', 'Refused');

    expect(verifyCallbackSignature({ secret, header, body: tampered, now: timestamp })).toBe(false);
  });

  it('rejects a tampered timestamp', () => {
    const moved = header.replace(`t=${timestamp}`, `t=${timestamp + 1}`);

    expect(verifyCallbackSignature({ secret, header: moved, body, now: timestamp })).toBe(false);
  });

  it('rejects another secret', () => {
    expect(verifyCallbackSignature({ secret: 'other', header, body, now: timestamp })).toBe(false);
  });

  it('accepts a timestamp within the tolerance either side and rejects one outside it', () => {
    const check = (now: number) => verifyCallbackSignature({ secret, header, body, now });

    expect(check(timestamp + 300)).toBe(true);
    expect(check(timestamp - 300)).toBe(true);
    expect(check(timestamp + 301)).toBe(false);
    expect(check(timestamp - 301)).toBe(false);
  });

  it('honours a custom tolerance', () => {
    const verify = (toleranceSeconds: number) =>
      verifyCallbackSignature({ secret, header, body, now: timestamp + 60, toleranceSeconds });

    expect(verify(30)).toBe(false);
    expect(verify(60)).toBe(true);
  });

  it('accepts any matching v1 among several, as during a secret rotation', () => {
    const other = signCallback({ secret: 'old', timestamp, body }).split(',')[1];

    const rotated = `${header.split(',')[0]},${other},${header.split(',')[1]}`;

    expect(verifyCallbackSignature({ secret, header: rotated, body, now: timestamp })).toBe(true);
  });

  it.each([
    '',
    'garbage',
    `v1=${'0'.repeat(64)}`,
    `t=${timestamp}`,
    `t=${timestamp},v1=short`,
    `t=abc,${header.split(',')[1]}`,
    `t=${timestamp},t=${timestamp},${header.split(',')[1]}`,
    header.toUpperCase(),
  ])('rejects the malformed header %j without throwing', (bad) => {
    expect(verifyCallbackSignature({ secret, header: bad, body, now: timestamp })).toBe(false);
  });
});

describe('deriveClientSecret', () => {
  it('is base64url HMAC-SHA256(master, "callback:<clientId>")', () => {
    const expected = createHmac('sha256', 'master').update('callback:acme').digest('base64url');

    expect(deriveClientSecret('master', 'acme')).toBe(expected);
    expect(expected).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('differs per client and per master secret', () => {
    const secrets = [
      deriveClientSecret('master', 'acme'),
      deriveClientSecret('master', 'globex'),
      deriveClientSecret('other-master', 'acme'),
    ];

    expect(new Set(secrets).size).toBe(3);
  });
});
