/**
 * Fault 4, store outage: dynalite runs in its own process with its tables on disk; it is
 * SIGKILLed while clients post, then restarted on the same port with the same data dir.
 */
import { startHeraldStack, type HeraldStack } from './support/herald-stack';
import {
  clientFor,
  email,
  figure,
  finalViews,
  post,
  readyz,
  sleep,
  until,
  type RawAnswer,
} from './support/faults';

jest.setTimeout(60_000);

let stack: HeraldStack;

beforeAll(async () => {
  stack = await startHeraldStack({ separateEmulators: true, persistData: true });
});

afterAll(async () => {
  await stack?.stop();
});

describe('fault 4: the store (dynalite) goes away and comes back', () => {
  it('answers 503 + Retry-After (never 202) while the table is down, and loses or half-writes nothing', async () => {
    const token = await stack.issueToken('store-outage');
    const client = await clientFor(stack, 'store-outage');
    const accepted: string[] = [];
    const answers: { phase: string; answer: RawAnswer | Error }[] = [];
    const send = async (phase: string, i: number) => {
      const key = `${phase.replace('-retry', '')}-${i}`;
      const answer = await post(stack.apiUrl, token, email(key), key).catch(
        (err: unknown) => new Error(String(err)),
      );
      answers.push({ phase, answer });
      if (!(answer instanceof Error) && answer.status === 202) accepted.push(answer.body.id!);
      return answer;
    };

    // Before: a few accepted normally.
    for (let i = 0; i < 10; i++)
      expect((await send('before', i)) as RawAnswer).toMatchObject({ status: 202 });

    // A burst in flight while dynalite is killed.
    const burst = Promise.all(
      Array.from({ length: 40 }, (_, i) => sleep(i * 5).then(() => send('during', i))),
    );
    await sleep(60);
    stack.emulators.dynamodb.kill();
    await burst;

    // Down: every POST answers 503 with Retry-After.
    const down: RawAnswer[] = [];
    for (let i = 0; i < 10; i++) down.push((await send('down', i)) as RawAnswer);
    await until(
      async () => (await readyz(stack.apiUrl)).status === 503,
      '/readyz to say unavailable',
    );
    const readyDown = await readyz(stack.apiUrl);

    // Back: same port, same data on disk.
    await stack.restartEmulators('dynamodb');
    await until(async () => (await readyz(stack.apiUrl)).status === 200, '/readyz to recover');
    const after: RawAnswer[] = [];
    for (let i = 0; i < 10; i++) after.push((await send('after', i)) as RawAnswer);
    // Whatever got no 202 during the burst is retried with the same key and body: safe, 202.
    const retried: RawAnswer[] = [];
    for (const [i, a] of answers
      .filter((x) => x.phase === 'during')
      .map((x) => x.answer)
      .entries()) {
      if (a instanceof Error || a.status !== 202)
        retried.push((await send('during-retry', i)) as RawAnswer);
    }

    // Every 202 is stored whole and delivered; every stored notification has its accepted event.
    const finals = await finalViews(client, accepted, 30_000);
    const stored: string[] = [];
    for (let cursor: string | undefined, first = true; first || cursor; first = false) {
      const page = await client.listNotifications({ limit: 100, ...(cursor ? { cursor } : {}) });
      stored.push(...page.items.map((n) => n.id));
      cursor = page.nextCursor;
    }
    const listedTwice = stored.length - new Set(stored).size;
    if (listedTwice > 0)
      figure(`fault 4: the list endpoint returned ${listedTwice} notification(s) twice`);
    const views = await Promise.all(
      [...new Set(stored)].map((id) => client.getNotificationStatus(id)),
    );
    const incomplete = views.filter(
      (v) => v.events[0]?.type !== 'accepted' || v.channel !== 'email',
    );
    const during = answers.filter((a) => a.phase === 'during').map((a) => a.answer);
    const statusesDuring = during.map((a) =>
      a instanceof Error ? 'network-error' : String(a.status),
    );
    const tally = (xs: string[]) =>
      Object.entries(xs.reduce<Record<string, number>>((m, x) => ((m[x] = (m[x] ?? 0) + 1), m), {}))
        .map(([k, v]) => `${v}×${k}`)
        .join(' ');

    figure(
      `fault 4 store outage: burst during kill ${tally(statusesDuring)}; while down ${tally(down.map((a) => String(a.status)))} ` +
        `(Retry-After ${down[0]?.headers.get('retry-after')}), readyz ${readyDown.status} table=${readyDown.checks.table} queue=${readyDown.checks.queue}; ` +
        `after restart ${tally(after.map((a) => String(a.status)))}, burst retries ${tally(retried.map((a) => `${a.status}${a.headers.get('idempotent-replayed') ? ' replayed' : ''}`))}; ${accepted.length} accepted, ${stored.length} stored, ` +
        `${finals.filter((f) => f.status === 'Delivered').length} delivered, ${incomplete.length} incomplete`,
    );

    const extra = views.filter((v) => !accepted.includes(v.id));
    if (extra.length > 0) figure(`fault 4 stored without a 202: ${JSON.stringify(extra)}`);
    expect(down.every((a) => a.status === 503 && a.headers.get('retry-after') !== null)).toBe(true);
    expect(during.every((a) => a instanceof Error || a.status === 202 || a.status === 503)).toBe(
      true,
    );
    // The audience table lives in the same DynamoDB, so it is down with it.
    expect(readyDown.checks).toEqual({
      table: 'unavailable',
      queue: 'ok',
      audienceTable: 'unavailable',
    });
    expect(after.every((a) => a.status === 202)).toBe(true);
    expect(retried.every((a) => a.status === 202)).toBe(true);
    expect(incomplete).toEqual([]);
    // Nothing answered 202 is missing; anything stored without a 202 is whole (a 503 whose write landed).
    expect(accepted.filter((id) => !stored.includes(id))).toEqual([]);
    expect(finals.filter((f) => f.status !== 'Delivered').map((f) => f.id)).toEqual([]);
  });
});
