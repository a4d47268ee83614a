import { quietHoursAt } from './quiet-hours';

const oslo = (start: string, end: string) => ({ start, end, timezone: 'Europe/Oslo' });
const at = (iso: string) => new Date(iso);
const until = (state: ReturnType<typeof quietHoursAt>) =>
  state.quiet ? state.until.toISOString() : 'not quiet';

describe('quietHoursAt', () => {
  it('knows a window that crosses midnight, on either side of midnight', () => {
    const night = oslo('22:00', '07:00');

    // Winter: Oslo is UTC+1.
    expect(until(quietHoursAt(night, at('2026-01-15T21:30:00Z')))).toBe('2026-01-16T06:00:00.000Z');
    expect(until(quietHoursAt(night, at('2026-01-16T02:00:00Z')))).toBe('2026-01-16T06:00:00.000Z');
    expect(quietHoursAt(night, at('2026-01-16T06:00:00Z'))).toEqual({ quiet: false });
    expect(quietHoursAt(night, at('2026-01-15T20:59:00Z'))).toEqual({ quiet: false });
    expect(quietHoursAt(night, at('2026-01-15T12:00:00Z'))).toEqual({ quiet: false });
  });

  it('knows a window within one day, start inclusive and end exclusive', () => {
    const lunch = { start: '12:00', end: '13:30' };

    expect(until(quietHoursAt(lunch, at('2026-06-01T12:00:00Z')))).toBe('2026-06-01T13:30:00.000Z');
    expect(quietHoursAt(lunch, at('2026-06-01T13:30:00Z'))).toEqual({ quiet: false });
    expect(quietHoursAt(lunch, at('2026-06-01T11:59:59Z'))).toEqual({ quiet: false });
  });

  it('follows the wall clock across the spring change: the night is an hour shorter', () => {
    // 2026-03-29 02:00 CET → 03:00 CEST in Oslo.
    const state = quietHoursAt(oslo('22:00', '07:00'), at('2026-03-28T22:00:00Z'));

    expect(until(state)).toBe('2026-03-29T05:00:00.000Z'); // 07:00 CEST
  });

  it('follows the wall clock across the autumn change: the night is an hour longer', () => {
    // 2026-10-25 03:00 CEST → 02:00 CET in Oslo.
    const state = quietHoursAt(oslo('22:00', '07:00'), at('2026-10-24T21:00:00Z'));

    expect(until(state)).toBe('2026-10-25T06:00:00.000Z'); // 07:00 CET
  });

  it('ends a window whose end was skipped when the clock jumps past it', () => {
    const state = quietHoursAt(oslo('01:00', '02:30'), at('2026-03-29T00:15:00Z')); // 01:15 CET

    expect(until(state)).toBe('2026-03-29T01:00:00.000Z'); // the jump to 03:00 CEST
  });

  it('ends a window whose end repeats at its first occurrence, and the repeat is quiet again', () => {
    const window = oslo('01:00', '02:30');

    expect(until(quietHoursAt(window, at('2026-10-24T23:30:00Z')))).toBe(
      '2026-10-25T00:30:00.000Z', // 02:30 CEST
    );
    expect(until(quietHoursAt(window, at('2026-10-25T01:10:00Z')))).toBe(
      '2026-10-25T01:30:00.000Z', // 02:10 CET, then 02:30 CET
    );
  });

  it('uses the fallback timezone when the quiet hours name none, else UTC', () => {
    const night = { start: '22:00', end: '07:00' };
    const instant = at('2026-01-15T22:30:00Z');

    expect(until(quietHoursAt(night, instant, 'America/New_York'))).toBe('not quiet');
    expect(until(quietHoursAt(night, instant))).toBe('2026-01-16T07:00:00.000Z');
  });
});
