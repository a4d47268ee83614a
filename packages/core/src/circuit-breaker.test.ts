import { createCircuitBreakers } from './circuit-breaker';
import { FixedClock } from './testing';

function setUp(maxKeys?: number) {
  const clock = new FixedClock();
  const breakers = createCircuitBreakers({
    failureThreshold: 3,
    cooldownMs: 30_000,
    clock,
    ...(maxKeys === undefined ? {} : { maxKeys }),
  });
  const open = (key: string) => {
    for (let i = 0; i < 3; i++) breakers.failure(key);
  };
  return { clock, breakers, open };
}

describe('circuit breakers', () => {
  it('open after `failureThreshold` transient failures in a row, and only for that key', () => {
    const { breakers } = setUp();

    breakers.failure('smtp');
    breakers.failure('smtp');
    const beforeThird = breakers.canTry('smtp');
    breakers.failure('smtp');

    expect(beforeThird).toBe(true);
    expect(breakers.canTry('smtp')).toBe(false);
    expect(breakers.canTry('twilio')).toBe(true);
  });

  it('let exactly one trial call through once the cooldown has passed', () => {
    const { clock, breakers, open } = setUp();
    open('smtp');

    clock.advance(29_999);
    const duringCooldown = breakers.canTry('smtp');
    clock.advance(1);
    const trial = breakers.canTry('smtp');
    const second = breakers.canTry('smtp');

    expect([duringCooldown, trial, second]).toEqual([false, true, false]);
  });

  it('close on a successful trial and re-open for a full cooldown on a failed one', () => {
    const { clock, breakers, open } = setUp();
    open('a');
    open('b');
    clock.advance(30_000);
    breakers.canTry('a');
    breakers.canTry('b');

    breakers.success('a');
    breakers.failure('b');
    clock.advance(29_999);

    expect(breakers.canTry('a')).toBe(true);
    expect(breakers.canTry('b')).toBe(false);
  });

  it('free the trial when it ended without calling the provider, so the next call is the trial', () => {
    const { clock, breakers, open } = setUp();
    open('smtp');
    clock.advance(30_000);
    breakers.canTry('smtp');

    breakers.release('smtp');

    expect(breakers.canTry('smtp')).toBe(true);
    expect(breakers.canTry('smtp')).toBe(false);
  });

  it('let another trial through when the one in flight never reported back', () => {
    const { clock, breakers, open } = setUp();
    open('smtp');
    clock.advance(30_000);
    breakers.canTry('smtp');

    clock.advance(30_000);

    expect(breakers.canTry('smtp')).toBe(true);
  });

  it('keep at most `maxKeys` circuits; an evicted key starts closed', () => {
    const { breakers, open } = setUp(2);
    open('web-push https://a.example');
    open('web-push https://b.example');

    open('web-push https://c.example');

    expect(breakers.size()).toBe(2);
    expect(breakers.canTry('web-push https://a.example')).toBe(true);
    expect(breakers.canTry('web-push https://b.example')).toBe(false);
    expect(breakers.canTry('web-push https://c.example')).toBe(false);
  });

  it('hold no state for keys that never failed', () => {
    const { breakers } = setUp();

    for (let i = 0; i < 100; i++) breakers.canTry(`web-push https://${i}.example`);
    breakers.success('smtp');

    expect(breakers.size()).toBe(0);
  });
});
