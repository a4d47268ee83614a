import { FixedClock } from './testing';
import { createTokenBucketPacer } from './token-bucket';

const rules = { twilio: { ratePerSecond: 1, burst: 1 } };

describe('token bucket pacer', () => {
  it('spaces 32 concurrent schedules at the rate: waits 0, 1000, 2000, … ms', () => {
    const pacer = createTokenBucketPacer(rules, new FixedClock());

    const waits = Array.from({ length: 32 }, () => pacer.schedule('twilio', 60_000));

    expect(waits.every((w) => w.reserved)).toBe(true);
    expect(waits.map((w) => w.waitMs)).toEqual(Array.from({ length: 32 }, (_, i) => i * 1000));
  });

  it('takes nothing when the wait exceeds the maximum, so the caller can defer', () => {
    const clock = new FixedClock();
    const pacer = createTokenBucketPacer(rules, clock);
    pacer.schedule('twilio', 2_000);
    pacer.schedule('twilio', 2_000);
    pacer.schedule('twilio', 2_000);

    const deferred = pacer.schedule('twilio', 2_000);
    const again = pacer.schedule('twilio', 2_000);
    clock.advance(1_000);
    const later = pacer.schedule('twilio', 2_000);

    expect(deferred).toEqual({ reserved: false, waitMs: 3_000 });
    expect(again).toEqual({ reserved: false, waitMs: 3_000 });
    expect(later).toEqual({ reserved: true, waitMs: 2_000 });
  });

  it('repays the debt as time passes and refills up to the burst', () => {
    const clock = new FixedClock();
    const pacer = createTokenBucketPacer({ sns: { ratePerSecond: 10, burst: 5 } }, clock);
    for (let i = 0; i < 5; i++) pacer.schedule('sns', 1_000);

    const sixth = pacer.schedule('sns', 1_000);
    clock.advance(10_000);
    const burst = Array.from({ length: 6 }, () => pacer.schedule('sns', 1_000).waitMs);

    expect(sixth).toEqual({ reserved: true, waitMs: 100 });
    expect(burst).toEqual([0, 0, 0, 0, 0, 100]);
  });

  it('reserve takes a free token or tells the wait without taking one', () => {
    const clock = new FixedClock();
    const pacer = createTokenBucketPacer(rules, clock);

    const first = pacer.reserve('twilio');
    const second = pacer.reserve('twilio');
    const third = pacer.reserve('twilio');
    clock.advance(1_000);
    const fourth = pacer.reserve('twilio');

    expect([first, second, third, fourth]).toEqual([0, 1_000, 1_000, 0]);
  });

  it('never paces a key without a rule', () => {
    const pacer = createTokenBucketPacer(rules, new FixedClock());

    expect(pacer.schedule('smtp', 0)).toEqual({ reserved: true, waitMs: 0 });
    expect(pacer.reserve('smtp')).toBe(0);
  });
});
