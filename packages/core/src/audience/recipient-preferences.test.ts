import { isOptedOut, recipientPreferencesSchema } from './recipient-preferences';

const TOPIC = '0f8fad5b-d9cb-469f-a165-70867728950e';
const paths = (v: unknown) => {
  const result = recipientPreferencesSchema.safeParse(v);
  return result.success ? [] : result.error.issues.map((i) => i.path.join('.')).sort();
};

describe('recipientPreferencesSchema', () => {
  it('accepts every part, and none', () => {
    const full = {
      channels: { sms: false, email: true },
      topics: { [TOPIC]: { email: false } },
      quietHours: { start: '22:00', end: '07:00', timezone: 'Europe/Oslo' },
    };

    expect(paths(full)).toEqual([]);
    expect(paths({})).toEqual([]);
    expect(paths({ quietHours: { start: '00:00', end: '23:59' } })).toEqual([]);
  });

  it('reports every problem at once', () => {
    const bad = {
      channels: { fax: false, sms: 'no' },
      topics: { 'not-a-uuid': { email: false }, [TOPIC]: { pigeon: false } },
      quietHours: { start: '24:00', end: '7:00', timezone: 'Mars/Olympus' },
      colour: 'blue',
    };

    expect(paths(bad)).toEqual(
      [
        '',
        'channels',
        'channels.sms',
        `topics.${TOPIC}`,
        'topics.not-a-uuid',
        'quietHours.end',
        'quietHours.start',
        'quietHours.timezone',
      ].sort(),
    );
  });

  it('refuses an empty window and too many topics', () => {
    const topics = Object.fromEntries(
      Array.from({ length: 1001 }, (_, i) => [
        `0f8fad5b-d9cb-469f-a165-${String(i).padStart(12, '0')}`,
        { email: false },
      ]),
    );

    expect(paths({ quietHours: { start: '08:00', end: '08:00' } })).toEqual(['quietHours.end']);
    expect(paths({ topics })).toEqual(['topics']);
  });
});

describe('isOptedOut', () => {
  const prefs = { channels: { sms: false }, topics: { [TOPIC]: { email: false, sms: true } } };

  it('opts out of a channel overall, whatever the topic says', () => {
    expect(isOptedOut(prefs, 'sms')).toBe(true);
    expect(isOptedOut(prefs, 'sms', TOPIC)).toBe(true);
  });

  it('opts out of a channel for one topic only', () => {
    expect(isOptedOut(prefs, 'email', TOPIC)).toBe(true);
    expect(isOptedOut(prefs, 'email')).toBe(false);
    expect(isOptedOut(prefs, 'email', '7c9e6679-7425-40de-944b-e07fc1f90ae7')).toBe(false);
    expect(isOptedOut({}, 'push', TOPIC)).toBe(false);
  });
});
