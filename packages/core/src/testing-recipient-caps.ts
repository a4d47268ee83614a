import {
  capWindowStart,
  type CapTicket,
  type CapVerdict,
  type CappedNumber,
  type RecipientCapLimits,
  type RecipientCaps,
} from './recipient-caps';

/**
 * `RecipientCaps` in memory with the DynamoDB store's fixed windows and conditions: a counter per
 * (client, channel, number, window) and per (channel, number, window).
 */
export class InMemoryRecipientCaps implements RecipientCaps {
  readonly counts = new Map<string, number>();
  constructor(private readonly limits: RecipientCapLimits) {}

  private keys(t: Omit<CapTicket, 'windowStart'>, windowStart: number): [string, string] {
    const number = `${t.channel} ${t.number} ${windowStart}`;
    return [`client ${t.clientId} ${number}`, `all ${number}`];
  }

  consume(
    clientId: string,
    { channel, number }: CappedNumber,
    now: Date,
    clientMax?: number,
  ): Promise<CapVerdict> {
    const windowStart = capWindowStart(now, this.limits.windowMs);
    const [mine, all] = this.keys({ clientId, channel, number }, windowStart);
    const retryAfterMs = windowStart + this.limits.windowMs - now.getTime();
    if (
      (this.counts.get(mine) ?? 0) >= (clientMax ?? this.limits.max) ||
      (this.counts.get(all) ?? 0) >= this.limits.allClientsMax
    ) {
      return Promise.resolve({ kind: 'capped', retryAfterMs });
    }
    for (const key of [mine, all]) this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    return Promise.resolve({ kind: 'ok', ticket: { clientId, channel, number, windowStart } });
  }

  refund(ticket: CapTicket): Promise<void> {
    for (const key of this.keys(ticket, ticket.windowStart)) {
      const count = this.counts.get(key) ?? 0;
      if (count > 0) this.counts.set(key, count - 1);
    }
    return Promise.resolve();
  }
}
