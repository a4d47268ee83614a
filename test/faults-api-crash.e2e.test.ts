/**
 * Fault 2, the api dies between the store write and the response: without hooks in the api, the
 * api process is SIGKILLed while a burst of POSTs with Idempotency-Keys is in flight, so some
 * requests are cut off before, some after, the store write. Retrying with the same key and body
 * must be safe.
 */
import { startHeraldStack, type HeraldStack } from './support/herald-stack';
import {
  clientFor,
  email,
  figure,
  finalViews,
  post,
  sleep,
  type RawAnswer,
} from './support/faults';

jest.setTimeout(60_000);

const BURST = 300;

let stack: HeraldStack;

beforeAll(async () => {
  stack = await startHeraldStack();
});

afterAll(async () => {
  await stack?.stop();
});

describe('fault 2: the api is killed with requests in flight', () => {
  it('makes every retry with the same key answer 202 with the same id, exactly once', async () => {
    const token = await stack.issueToken('api-crash');
    const client = await clientFor(stack, 'api-crash');
    const first = new Map<string, RawAnswer | Error>();
    const burst = Promise.all(
      Array.from({ length: BURST }, async (_, i) => {
        await sleep(i);
        first.set(
          `k-${i}`,
          await post(stack.apiUrl, token, email(i), `k-${i}`).catch(
            (e: unknown) => new Error(String(e)),
          ),
        );
      }),
    );
    await sleep(120);
    await stack.api.kill();
    await burst;
    const firstStatuses = [...first.values()].map((a) =>
      a instanceof Error ? 'error' : String(a.status),
    );
    figure(
      `fault 2 first answers: ${JSON.stringify(firstStatuses.reduce<Record<string, number>>((m, x) => ((m[x] = (m[x] ?? 0) + 1), m), {}))}`,
    );
    const cutOff = [...first.values()].filter((a) => a instanceof Error).length;
    const okBefore = [...first.values()].filter(
      (a) => !(a instanceof Error) && a.status === 202,
    ).length;

    await stack.restartApi();
    // Every request is retried, answered or not: the answer must be 202 and the id must match.
    const retries = new Map<string, RawAnswer>();
    // A client honours 429/503 + Retry-After (the restarted api may still be warming up).
    const transient: number[] = [];
    await Promise.all(
      Array.from({ length: BURST }, async (_, i) => {
        let r = await post(stack.apiUrl, token, email(i), `k-${i}`);
        for (let t = 0; t < 5 && (r.status === 503 || r.status === 429); t++) {
          transient.push(r.status);
          await sleep(1000 * Number(r.headers.get('retry-after') ?? '1'));
          r = await post(stack.apiUrl, token, email(i), `k-${i}`);
        }
        retries.set(`k-${i}`, r);
      }),
    );
    const mismatched = [...retries].filter(([key, r]) => {
      const before = first.get(key);
      return (
        r.status !== 202 ||
        (!(before instanceof Error) && before!.status === 202 && before!.body.id !== r.body.id)
      );
    });
    const replayed = [...retries.values()].filter(
      (r) => r.headers.get('idempotent-replayed') === 'true',
    ).length;

    // Same key, different body.
    const conflict = await post(stack.apiUrl, token, email('other'), 'k-0');

    // 20 at once with one fresh key.
    const parallel = await Promise.all(
      Array.from({ length: 20 }, () => post(stack.apiUrl, token, email('par'), 'one-key')),
    );
    const parallelIds = new Set(parallel.map((p) => p.body.id));

    // The list holds exactly the keyed notifications: BURST + the parallel one.
    const listed: string[] = [];
    for (let cursor: string | undefined, more = true; more;) {
      const page = await client.listNotifications({ limit: 100, ...(cursor ? { cursor } : {}) });
      listed.push(...page.items.map((n) => n.id));
      cursor = page.nextCursor;
      more = cursor !== undefined;
    }
    const ids = [...new Set([...retries.values()].map((r) => r.body.id!))];
    const finals = await finalViews(
      client,
      [...ids, ...parallelIds].filter((x): x is string => !!x),
      30_000,
    );

    figure(
      `fault 2 api crash: ${BURST} keyed POSTs, ${cutOff} cut off by the SIGKILL, ${okBefore} answered 202 before it; ` +
        `after restart ${BURST - mismatched.length}/${BURST} retries 202 with the same id (${replayed} replayed, ` +
        `${transient.length} transient 429/503 answers retried first); ` +
        `different body → ${conflict.status}; 20 parallel with one key → ${parallel.filter((p) => p.status === 202).length}×202, ` +
        `${parallelIds.size} id(s); ${listed.length} listed (${new Set(listed).size} distinct), ` +
        `${finals.filter((f) => f.status === 'Delivered').length}/${finals.length} delivered`,
    );

    expect(cutOff).toBeGreaterThan(0);
    expect(mismatched.map(([k, r]) => `${k} ${r.status} ${JSON.stringify(r.body)}`)).toEqual([]);
    expect(conflict.status).toBe(422);
    expect(parallel.every((p) => p.status === 202)).toBe(true);
    expect(parallelIds.size).toBe(1);
    expect(new Set(listed).size).toBe(BURST + 1);
    expect(listed.length).toBe(BURST + 1);
    expect((await client.getNotificationStatus([...parallelIds][0]!)).events[0]?.type).toBe(
      'accepted',
    );
    expect(finals.filter((f) => f.status !== 'Delivered')).toEqual([]);
  });
});
