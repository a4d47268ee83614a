import { useFakeApiCli } from '../testing-fake-api-cli';

const PAGE = {
  items: [{ address: 'email:ada@example.com', reason: 'hard_bounce', createdAt: 'x' }],
  nextCursor: 'abc',
};

const fake = useFakeApiCli(() => ({ status: 200, body: PAGE }));
const { cli } = fake;

describe('herald suppressions', () => {
  it('lists a page, passing --cursor', async () => {
    const { code, stdout } = await cli(['suppressions', 'list', '--cursor', 'c1']);

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(PAGE);
    expect(fake.api.requests[0]).toMatchObject({
      method: 'GET',
      url: '/v1/suppressions?cursor=c1',
    });
  });

  it('deletes an entry by its address, URL-encoded, and exits 1 on the api 404', async () => {
    fake.reply = (req) =>
      req.url.includes('ada')
        ? { status: 204 }
        : { status: 404, body: { error: { code: 'NOT_FOUND', message: 'No such entry' } } };

    const lifted = await cli(['suppressions', 'delete', 'email:ada@example.com']);
    const missing = await cli(['suppressions', 'delete', 'sms:+447400123456']);

    expect(lifted.code).toBe(0);
    expect(lifted.stderr).toContain('lifted email:ada@example.com');
    expect(fake.api.requests[0]).toMatchObject({
      method: 'DELETE',
      url: '/v1/suppressions/email%3Aada%40example.com',
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('404 NOT_FOUND');
  });

  it.each([
    [['suppressions']],
    [['suppressions', 'list', 'extra']],
    [['suppressions', 'delete']],
    [['suppressions', 'delete', 'a', 'b']],
    [['suppressions', 'purge']],
  ])('exits 2 for %j', async (argv) => {
    const { code } = await cli(argv);
    expect(code).toBe(2);
  });
});
