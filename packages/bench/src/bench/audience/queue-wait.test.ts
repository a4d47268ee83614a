import { sendAtOf } from '../phases/scheduled';
import { queueWaitOf } from './queue-wait';
import { eventAt } from './views';

const view = (events: [string, string][]) => ({
  id: 'ntf_1',
  status: 'Delivered',
  events: events.map(([type, at]) => ({ type, at })),
});

describe('the audience phases’ readings', () => {
  it('takes accept → claim from the first accepted and attempt_started events', () => {
    const v = view([
      ['accepted', '2026-12-08T03:00:00.000Z'],
      ['attempt_started', '2026-12-08T03:00:00.250Z'],
      ['attempt_failed', '2026-12-08T03:00:00.300Z'],
      ['attempt_started', '2026-12-08T03:00:02.300Z'],
    ]);
    expect(queueWaitOf(v)).toBe(250);
    expect(eventAt(v, 'delivered')).toBeUndefined();
  });

  it('has no queue wait for a notification never claimed, or never read', () => {
    expect(queueWaitOf(view([['accepted', '2026-12-08T03:00:00.000Z']]))).toBeUndefined();
    expect(queueWaitOf(undefined)).toBeUndefined();
  });

  it('spaces the sendAt times evenly at the rate, to the millisecond', () => {
    const start = Date.parse('2026-12-08T03:00:20.000Z');
    expect(sendAtOf(start, 125, 0)).toBe(start);
    expect(sendAtOf(start, 125, 1)).toBe(start + 8);
    expect(sendAtOf(start, 125, 1000)).toBe(start + 8000);
    expect(sendAtOf(start, 3, 1)).toBe(start + 333);
  });
});
