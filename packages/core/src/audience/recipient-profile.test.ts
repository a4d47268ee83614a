import { isRecipientId } from './recipient-id';
import { recipientProfileSchema } from './recipient-profile';

const parse = (v: unknown) => recipientProfileSchema.safeParse(v);
const paths = (v: unknown) => {
  const result = parse(v);
  return result.success ? [] : result.error.issues.map((i) => String(i.path[0]));
};

describe('recipientProfileSchema', () => {
  it('accepts a full profile and an empty one', () => {
    const full = {
      email: 'alice@example.com',
      phone: '+4791234567',
      whatsapp: '+14155550100',
      slack: { userId: 'U024BE7LH' },
      name: 'Alice Liddell',
      locale: 'nb-NO',
      timezone: 'Europe/Oslo',
    };

    expect(parse(full).success).toBe(true);
    expect(parse({ slack: { webhook: 'ops' } }).success).toBe(true);
    expect(parse({}).success).toBe(true);
  });

  it('reports every bad field at once', () => {
    const bad = {
      email: 'not-an-address',
      phone: '12345',
      whatsapp: '+1000',
      slack: { userId: 'alice' },
      name: 'a\r\nBcc: x@example.com',
      locale: 'not a locale',
      timezone: 'Mars/Olympus',
    };

    expect(paths(bad).sort()).toEqual(
      ['email', 'locale', 'name', 'phone', 'slack', 'timezone', 'whatsapp'].sort(),
    );
  });

  it('rejects an unknown field and a Slack address with both forms', () => {
    expect(parse({ mobile: '+4791234567' }).success).toBe(false);
    expect(parse({ slack: { userId: 'U024BE7LH', webhook: 'ops' } }).success).toBe(false);
  });
});

describe('isRecipientId', () => {
  it.each(['alice', 'user-42', 'alice@example.com', 'org:7.team_1', 'x'.repeat(128)])(
    'accepts %s',
    (id) => {
      expect(isRecipientId(id)).toBe(true);
    },
  );

  it.each(['', 'x'.repeat(129), 'a b', 'a/b', 'å', 'a#b', 'a%2Fb'])('rejects %j', (id) => {
    expect(isRecipientId(id)).toBe(false);
  });
});
