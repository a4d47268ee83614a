import { randomUUID } from 'node:crypto';
import { sleep } from '../lib/processes';

/** What the posting side saw: requests, retries, answers by status, and ids given up on. */
export interface PostCounts {
  attempts: number;
  retries: number;
  statuses: Record<string, number>;
  networkErrors: number;
  gaveUp: number;
  /** Soak mode: requests not sent because 256 were already in flight. */
  behind: number;
}

/** The part of `GET /v1/notifications/:id` the soak reads (`NotFound` for a 404). */
export interface StatusView {
  status: string;
}

class PostRefused extends Error {}

/**
 * The soak's HTTP side of the api: posts email notifications (retrying 429, 5xx and network
 * errors with the same Idempotency-Key) and reads statuses. Keeps every accepted id in 202 order.
 */
export class SoakApiClient {
  readonly accepted: string[] = [];
  readonly acceptedSet = new Set<string>();
  readonly post: PostCounts = {
    attempts: 0,
    retries: 0,
    statuses: {},
    networkErrors: 0,
    gaveUp: 0,
    behind: 0,
  };

  constructor(
    private readonly apiUrl: string,
    private readonly token: string,
  ) {}

  /** Posts notification `i` until it is accepted (its id) or 20 tries fail (undefined). */
  async postOne(i: number): Promise<string | undefined> {
    const key = `soak-${randomUUID()}`;
    const body = JSON.stringify({
      channel: 'email',
      to: `user${i}@example.com`,
      subject: `soak ${i}`,
      text: `soak notification ${i}`,
    });
    for (let attempt = 0; attempt < 20; attempt++) {
      if (attempt > 0) this.post.retries++;
      this.post.attempts++;
      try {
        const res = await fetch(`${this.apiUrl}/v1/notifications`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${this.token}`,
            'content-type': 'application/json',
            'idempotency-key': key,
          },
          body,
          signal: AbortSignal.timeout(15_000),
        });
        const text = await res.text();
        this.post.statuses[res.status] = (this.post.statuses[res.status] ?? 0) + 1;
        if (res.status === 202 || res.status === 200) {
          const { id } = JSON.parse(text) as { id: string };
          if (!this.acceptedSet.has(id)) {
            this.acceptedSet.add(id);
            this.accepted.push(id);
          }
          return id;
        }
        if (res.status === 429 || res.status >= 500) {
          const retryAfter = Number(res.headers.get('retry-after'));
          await sleep(
            Number.isFinite(retryAfter) && retryAfter > 0
              ? Math.min(retryAfter * 1000, 5000)
              : 200 * (attempt + 1),
          );
          continue;
        }
        throw new PostRefused(`POST answered ${res.status}: ${text.slice(0, 300)}`);
      } catch (err) {
        if (err instanceof PostRefused) throw err;
        this.post.networkErrors++;
        await sleep(200 * (attempt + 1));
      }
    }
    this.post.gaveUp++;
    return undefined;
  }

  /** The notification's status (`NotFound` on 404), long-polling up to `waitSeconds`. */
  async getStatus(id: string, waitSeconds = 0): Promise<StatusView> {
    const res = await fetch(
      `${this.apiUrl}/v1/notifications/${id}${waitSeconds ? `?waitSeconds=${waitSeconds}` : ''}`,
      {
        headers: { authorization: `Bearer ${this.token}` },
        signal: AbortSignal.timeout((waitSeconds + 10) * 1000),
      },
    );
    if (res.status === 404) return { status: 'NotFound' };
    if (res.status !== 200) throw new Error(`GET ${id} answered ${res.status}`);
    return (await res.json()) as StatusView;
  }
}
