/**
 * Test support for the fuzzing suites (`abuse-fuzz-*.test.ts`): fast-check generators of hostile
 * headers, valid notification bodies and their mutations, and request paths and queries.
 */
import { notificationRequestSchema } from '@herald/core';
import fc from 'fast-check';
import { TOKEN } from './testing-fuzz';

/** Characters Node's HTTP client accepts in a header value (HTAB, VCHAR, SP, obs-text). */
export const headerValue = fc.string({
  unit: fc.oneof(
    fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
    fc.constantFrom('\t', '\u00e9', '\u00ff'),
  ),
  maxLength: 300,
});

/** Content-Type values: the JSON variants the api must tell apart, other types, and junk. */
export const contentType = fc.oneof(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=UTF-16',
    'application/json; charset=latin1',
    'application/json; charset',
    'application/json;;;',
    'application/json; charset="utf-8',
    'Application/JSON',
    'application/merge-patch+json',
    'application/x-www-form-urlencoded',
    'text/plain',
    'multipart/form-data; boundary=x',
    '*/*',
    '',
  ),
  headerValue,
);

/** Content-Encoding values, supported or not, and junk. */
export const contentEncoding = fc.oneof(
  fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'gzip, gzip', 'x-gzip', 'compress', ''),
  headerValue,
);

/** Mostly the valid bearer token; otherwise near misses, other schemes and junk. */
export const authorization = fc.oneof(
  { weight: 6, arbitrary: fc.constant(`Bearer ${TOKEN}`) },
  fc.constantFrom(
    'Bearer',
    'Bearer ',
    'bearer ' + TOKEN,
    `Bearer ${TOKEN} x`,
    'Basic Zm9vOmJhcg==',
  ),
  headerValue,
);

/** Idempotency-Key values: printable, junk, and one too long. */
export const idempotencyKey = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)) }),
  headerValue,
  fc.constant('k'.repeat(256)),
);

const email = fc
  .emailAddress()
  .filter((e) => notificationRequestSchema.safeParse(anEmail(e)).success);
function anEmail(to: string) {
  return { channel: 'email', to, text: 't' };
}
const e164 = fc
  .tuple(fc.integer({ min: 1, max: 9 }), fc.stringMatching(/^\d{7,14}$/))
  .map(([first, rest]) => `+${first}${rest}`);
const shortText = fc.string({ minLength: 1, maxLength: 40 });
const metadata = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 64 }),
  fc.string({ maxLength: 64 }),
  { maxKeys: 20 },
);

const validEmail = fc.record(
  {
    channel: fc.constant('email'),
    to: fc.oneof(email, fc.array(email, { minLength: 1, maxLength: 5 })),
    cc: email,
    bcc: fc.array(email, { minLength: 1, maxLength: 3 }),
    replyTo: email,
    subject: fc.string({ maxLength: 80 }).map((s) => s.replace(/[\r\n]/g, ' ')),
    text: fc.string({ maxLength: 200 }),
    html: fc.string({ maxLength: 200 }),
    receipt: fc.boolean(),
    metadata,
  },
  { requiredKeys: ['channel', 'to', 'text'] },
);
const validSms = fc.record(
  { channel: fc.constant('sms'), to: e164, body: shortText, metadata },
  { requiredKeys: ['channel', 'to', 'body'] },
);
const validWhatsapp = fc.record({
  channel: fc.constant('whatsapp'),
  to: e164,
  body: shortText,
});
const validPush = fc.record(
  {
    channel: fc.constant('push'),
    to: fc.constant({
      webPush: {
        endpoint: 'https://push.example.com/abc',
        keys: { p256dh: 'BNc', auth: 'tBH' },
      },
    }),
    title: shortText,
    body: fc.string({ maxLength: 100 }),
    data: fc.dictionary(fc.string({ maxLength: 64 }), fc.jsonValue({ maxDepth: 3 })),
    urgency: fc.constantFrom('very-low', 'low', 'normal', 'high'),
    ttlSeconds: fc.integer({ min: 0, max: 2_419_200 }),
  },
  { requiredKeys: ['channel', 'to', 'title', 'body'] },
);
const validSlack = fc.record(
  {
    channel: fc.constant('slack'),
    to: fc.oneof(
      fc.constant({ webhookUrl: 'https://hooks.slack.example.com/services/T/B/X' }),
      fc.constant({ webhook: 'alerts' }),
    ),
    text: shortText,
    blocks: fc.array(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })), { maxLength: 3 }),
  },
  { requiredKeys: ['channel', 'to', 'text'] },
);
/** A body the schema accepts, on any channel. */
export const validBody = fc.oneof(validEmail, validSms, validWhatsapp, validPush, validSlack);

/** A marker that {@link toJsonText} expands into `depth` levels of nesting (built as text). */
const deepMarker = (depth: number) => `__deep_${depth}__`;

/** JSON text of `body`, with deep-nesting markers expanded (JSON.stringify would overflow). */
export function toJsonText(body: Body): string {
  return JSON.stringify(body).replace(/"__deep_(\d+)__"/g, (_m, d: string) => {
    const depth = Number(d);
    return '[{"n":'.repeat(depth) + '"leaf"' + '}]'.repeat(depth);
  });
}

/** A request body as a plain object. */
export type Body = Record<string, unknown>;
const LINE_BREAKS = ['\r\n', '\n', '\r', '\r\nBcc: evil@example.com\r\n'];

/** One change to a valid body: junk in a field, an extra key, a huge or broken value. */
export const mutation: fc.Arbitrary<(b: Body) => Body> = fc.oneof(
  fc.tuple(fc.nat(), fc.anything()).map(([i, junk]) => (b: Body) => ({
    ...b,
    [Object.keys(b)[i % Object.keys(b).length] as string]: junk,
  })),
  fc.tuple(fc.string(), fc.jsonValue()).map(([k, v]) => (b: Body) => ({ ...b, [k]: v })),
  fc.tuple(fc.nat(), fc.integer({ min: 900, max: 300_000 })).map(([i, n]) => (b: Body) => ({
    ...b,
    [Object.keys(b)[i % Object.keys(b).length] as string]: 'x'.repeat(n),
  })),
  fc
    .tuple(
      fc.constantFrom('subject', 'to', 'cc', 'bcc', 'replyTo'),
      fc.constantFrom(...LINE_BREAKS),
      fc.nat(),
    )
    .map(([field, br, at]) => (b: Body) => {
      const v = b[field];
      const inject = (s: string) =>
        s.slice(0, at % (s.length + 1)) + br + s.slice(at % (s.length + 1));
      if (typeof v === 'string') return { ...b, [field]: inject(v) };
      if (Array.isArray(v)) return { ...b, [field]: v.map((s) => inject(String(s))) };
      return { ...b, [field]: inject('ada@example.com') };
    }),
  fc
    .tuple(fc.constantFrom('data', 'blocks', 'metadata', 'to'), fc.integer({ min: 1, max: 30_000 }))
    .map(([field, depth]) => (b: Body) => ({
      ...b,
      [field]: field === 'blocks' ? [{ deep: deepMarker(depth) }] : { deep: deepMarker(depth) },
    })),
  fc.nat().map((i) => (b: Body) => {
    const keys = Object.keys(b);
    const { [keys[i % keys.length] as string]: _dropped, ...rest } = b;
    return rest;
  }),
);

/** Characters Node's HTTP client accepts in a request path, minus the ones that end a segment. */
const pathChar = fc.oneof(
  fc
    .integer({ min: 0x21, max: 0x7e })
    .map((c) => String.fromCharCode(c))
    .filter((c) => c !== '/' && c !== '?' && c !== '#'),
  fc.constantFrom('%', '%2', '%zz', '%E0%A4%A', '%00', '%2F', '%0d%0a', '%ff', '%C0%AF'),
);
/** One path segment of hostile characters and broken percent escapes. */
export const pathSegment = fc.string({ unit: pathChar, maxLength: 60 });
/** A query string of known and unknown parameters with edge-case and junk values. */
export const queryString = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom('status', 'limit', 'cursor', 'waitSeconds'), pathSegment),
      fc.oneof(
        fc.constantFrom('Pending', 'Delivered', '0', '1', '100', '101', '-1', '1e3', '0x10', ''),
        pathSegment,
      ),
    ),
    { maxLength: 4 },
  )
  .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));
