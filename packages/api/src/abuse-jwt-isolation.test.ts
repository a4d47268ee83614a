/** The api with the real ES256 verifier from @herald/auth: one client never sees another's data. */
import { anEmailRequest, anSmsRequest } from '@herald/core/testing';
import { useJwtApp } from './testing-jwt';

const jwt = useJwtApp();
const { aToken, post, get } = jwt;

describe('client isolation with real tokens', () => {
  let tokenA: string;
  let tokenB: string;

  beforeEach(async () => {
    tokenA = (await aToken({ clientId: 'client-a' })).token;
    tokenB = (await aToken({ clientId: 'client-b', privateJwk: jwt.older.privateJwk })).token;
  });

  async function idOf(res: Response): Promise<string> {
    expect(res.status).toBe(202);
    return ((await res.json()) as { id: string }).id;
  }

  async function listIds(token: string, query = ''): Promise<string[]> {
    const res = await get(token, `/v1/notifications${query}`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { items: { id: string }[] }).items.map((i) => i.id);
  }

  it("answers 404 to B for A's notification, exactly as for a missing one", async () => {
    const idA = await idOf(await post(tokenA));

    const asB = await get(tokenB, `/v1/notifications/${idA}`);
    const missing = await get(tokenB, '/v1/notifications/ntf_0000000000000000000000000z');

    expect(asB.status).toBe(404);
    expect(await asB.json()).toEqual(await missing.json());
  });

  it("never lists A's notifications to B", async () => {
    const idsA = [await idOf(await post(tokenA)), await idOf(await post(tokenA))];
    const idB = await idOf(await post(tokenB, anSmsRequest()));

    const seenByB = await listIds(tokenB, '?limit=100');

    expect(seenByB).toEqual([idB]);
    expect(seenByB.some((id) => idsA.includes(id))).toBe(false);
  });

  it("gives B its own notification when B reuses A's Idempotency-Key", async () => {
    const idA = await idOf(await post(tokenA, anEmailRequest(), { 'idempotency-key': 'order-7' }));

    const asB = await post(tokenB, anEmailRequest(), { 'idempotency-key': 'order-7' });
    const idB = await idOf(asB);

    expect(idB).not.toBe(idA);
    expect(asB.headers.get('idempotent-replayed')).toBeNull();
    expect(jwt.store.records.get(idA)?.clientId).toBe('client-a');
    expect(jwt.store.records.get(idB)?.clientId).toBe('client-b');
  });

  it("keeps B on its own list when B pages with a cursor taken from A's list", async () => {
    for (let i = 0; i < 3; i++) await idOf(await post(tokenA));
    const idB = await idOf(await post(tokenB, anSmsRequest()));
    const pageA = (await (await get(tokenA, '/v1/notifications?limit=1')).json()) as {
      nextCursor: string;
    };

    const seenByB = await listIds(tokenB, `?limit=100&cursor=${pageA.nextCursor}`);

    expect(pageA.nextCursor).toBeDefined();
    expect(seenByB.every((id) => id === idB)).toBe(true);
  });
});
