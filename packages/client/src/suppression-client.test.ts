import { createHeraldClient, isHeraldApiError } from './index';
import { startFakeHeraldApi, type FakeAnswer, type FakeHeraldApi } from './testing';

let api: FakeHeraldApi;
let answer: FakeAnswer;

beforeEach(async () => {
  answer = () => ({ status: 500, json: { error: { code: 'INTERNAL', message: 'unscripted' } } });
  api = await startFakeHeraldApi((req, gone) => answer(req, gone));
});

afterEach(async () => {
  await api.close();
});

const herald = () => createHeraldClient({ baseUrl: api.baseUrl, token: 'tok-1' });

describe('suppressions', () => {
  it('lists a page, passing the cursor', async () => {
    const page = {
      items: [{ address: 'sms:+447400123456', reason: 'opted_out', createdAt: 'x' }],
      nextCursor: 'abc',
    };
    answer = () => ({ status: 200, json: page });

    expect(await herald().listSuppressions({ cursor: 'c1' })).toEqual(page);
    expect(api.requests[0]?.method).toBe('GET');
    expect(api.requests[0]?.path).toBe('/v1/suppressions');
    expect(api.requests[0]?.query.toString()).toBe('cursor=c1');
  });

  it('deletes an entry by its URL-encoded address, and reports a missing one', async () => {
    answer = (req) =>
      req.path.endsWith('%40example.com')
        ? { status: 204 }
        : { status: 404, json: { error: { code: 'NOT_FOUND', message: 'No such entry' } } };

    await herald().deleteSuppression('email:ada@example.com');
    const missing = await herald()
      .deleteSuppression('sms:+447400123456')
      .catch((err: unknown) => err);

    expect(api.requests[0]?.method).toBe('DELETE');
    expect(api.requests[0]?.path).toBe('/v1/suppressions/email%3Aada%40example.com');
    expect(isHeraldApiError(missing) && missing.code).toBe('NOT_FOUND');
  });
});
