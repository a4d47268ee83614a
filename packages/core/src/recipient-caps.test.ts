import { cappedNumberOf, recipientCappedReason } from './recipient-caps';
import { anEmailRequest, anSmsRequest, InMemoryRecipientCaps } from './testing';

const hour = 3_600_000;
const at = (iso: string) => new Date(iso);

describe('recipient caps (the in-memory fake, as the fan-out will use them)', () => {
  it('caps per client and number, and across clients, in fixed windows', async () => {
    const caps = new InMemoryRecipientCaps({ max: 2, allClientsMax: 3, windowMs: hour });
    const number = { channel: 'sms' as const, number: '+447400123456' };
    const now = at('2026-01-01T10:45:00Z');
    const kinds = [];
    for (const client of ['a', 'a', 'a', 'b', 'c']) {
      kinds.push((await caps.consume(client, number, now)).kind);
    }
    expect(kinds).toEqual(['ok', 'ok', 'capped', 'ok', 'capped']);
    expect(await caps.consume('c', number, now)).toEqual({
      kind: 'capped',
      retryAfterMs: 15 * 60_000,
    });
    expect((await caps.consume('c', number, at('2026-01-01T11:00:00Z'))).kind).toBe('ok');
  });

  it("applies a client's own cap and gives a refunded message back", async () => {
    const caps = new InMemoryRecipientCaps({ max: 1, allClientsMax: 10, windowMs: hour });
    const number = { channel: 'whatsapp' as const, number: '+447400123456' };
    const now = at('2026-01-01T10:00:00Z');
    const first = await caps.consume('a', number, now, 2);
    expect((await caps.consume('a', number, now, 2)).kind).toBe('ok');
    expect((await caps.consume('a', number, now, 2)).kind).toBe('capped');
    if (first.kind !== 'ok') throw new Error('expected ok');
    await caps.refund(first.ticket);
    expect((await caps.consume('a', number, now, 2)).kind).toBe('ok');
  });

  it('names the number of a capped channel only', () => {
    expect(cappedNumberOf(anSmsRequest())).toEqual({ channel: 'sms', number: '+447400123456' });
    expect(cappedNumberOf(anEmailRequest())).toBeUndefined();
    expect(recipientCappedReason(90_000)).toEqual({
      code: 'recipient_capped',
      message: 'Too many messages to this number; its cap window ends in 2 min',
    });
  });
});
