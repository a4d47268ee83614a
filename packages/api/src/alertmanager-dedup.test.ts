import { alertmanagerIdempotencyKey } from './alertmanager-dedup';
import { alertmanagerPayloadSchema } from './alertmanager-payload';
import { aPayload, anAlert } from './testing-alertmanager';

const TOPIC = '3f1e2d4c-5b6a-4978-8a9b-0c1d2e3f4a5b';
const T0 = new Date('2026-01-01T00:00:00.000Z');
const later = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const other = anAlert({ fingerprint: 'c0ffee0000000002' });

function key(raw: unknown, at = T0, windowSeconds = 300, topicId = TOPIC) {
  return alertmanagerIdempotencyKey(
    topicId,
    alertmanagerPayloadSchema.parse(raw),
    at,
    windowSeconds,
  );
}

describe('alertmanagerIdempotencyKey', () => {
  it('is a valid Idempotency-Key', () => {
    expect(key(aPayload())).toMatch(/^alertmanager:[\w-]{43}$/);
  });

  it('is the same for a retry of the same group state within the window, whatever the order', () => {
    const first = key(aPayload([anAlert(), other]));

    expect(key(aPayload([other, anAlert()]), later(299))).toBe(first);
    // What is not state (text, links, endsAt) does not matter.
    expect(
      key(
        aPayload(
          [anAlert({ annotations: { summary: 'new text' }, endsAt: T0.toISOString() }), other],
          {
            externalURL: 'https://peer-2.example.com',
          },
        ),
        later(10),
      ),
    ).toBe(first);
  });

  it('changes with every part of the state: group, status, alerts, start times, alert statuses', () => {
    const base = key(aPayload([anAlert(), other]));
    const variants = [
      aPayload([anAlert(), other], { groupKey: '{}:{alertname="Other"}' }),
      aPayload([anAlert(), other], { status: 'resolved' }),
      aPayload([anAlert()]),
      aPayload([anAlert({ startsAt: '2026-01-01T00:05:00Z' }), other]),
      aPayload([anAlert(), { ...other, status: 'resolved' }]),
    ].map((p) => key(p));

    expect(new Set([base, ...variants]).size).toBe(6);
  });

  it('changes with the topic, so one payload sent to two topics is two sends', () => {
    expect(key(aPayload(), T0, 300, crypto.randomUUID())).not.toBe(key(aPayload()));
  });

  it('changes in the next window: a deliberate repeat is sent again', () => {
    expect(key(aPayload(), later(300))).not.toBe(key(aPayload()));
    // The documented edge: a retry just across a boundary is a second send.
    expect(key(aPayload(), later(299.999))).not.toBe(key(aPayload(), later(300)));
  });

  it('uses the window it is given, and names it, so changing it never joins two states', () => {
    expect(key(aPayload(), later(59), 60)).toBe(key(aPayload(), T0, 60));
    expect(key(aPayload(), later(60), 60)).not.toBe(key(aPayload(), T0, 60));
    expect(key(aPayload(), T0, 60)).not.toBe(key(aPayload(), T0, 300));
  });
});
