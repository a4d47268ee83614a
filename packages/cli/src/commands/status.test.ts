import { useFakeApiCli } from '../testing-fake-api-cli';

const VIEW = {
  id: 'ntf_01',
  channel: 'email',
  status: 'Delivered',
  createdAt: '2026-03-01T12:00:00.000Z',
  updatedAt: '2026-03-01T12:00:01.000Z',
  attempts: 1,
  events: [],
};

const fake = useFakeApiCli(() => ({ status: 200, body: VIEW }));
const { cli } = fake;

describe('herald status', () => {
  it('prints the notification view', async () => {
    const { code, stdout } = await cli(['status', 'ntf_01']);

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(VIEW);
    expect(fake.api.requests[0]).toMatchObject({ method: 'GET', url: '/v1/notifications/ntf_01' });
  });

  it('waits for a final status with --wait', async () => {
    let calls = 0;
    fake.reply = () => {
      calls += 1;
      return { status: 200, body: calls === 1 ? { ...VIEW, status: 'Pending' } : VIEW };
    };

    const { code, stdout } = await cli(['status', 'ntf_01', '--wait', '30']);

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ status: 'Delivered' });
    expect(fake.api.requests[1]?.url).toMatch(/^\/v1\/notifications\/ntf_01\?waitSeconds=\d+$/);
  });

  it('exits 1 for an unknown notification', async () => {
    fake.reply = () => ({
      status: 404,
      body: { error: { code: 'NOT_FOUND', message: 'no such notification' } },
    });

    const { code, stderr } = await cli(['status', 'ntf_missing']);

    expect(code).toBe(1);
    expect(stderr).toContain('404 NOT_FOUND');
  });

  it.each([[['status']], [['status', 'a', 'b']], [['status', 'a', '--wait', 'soon']]])(
    'exits 2 for %j',
    async (argv) => {
      const { code } = await cli(argv);

      expect(code).toBe(2);
      expect(fake.api.requests).toHaveLength(0);
    },
  );
});

describe('herald list', () => {
  it('passes the filters and prints the page', async () => {
    const page = { items: [VIEW], nextCursor: 'c2' };
    fake.reply = () => ({ status: 200, body: page });

    const { code, stdout } = await cli(['list', '--status', 'delivered', '--limit', '5']);

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(page);
    expect(fake.api.requests[0]?.url).toBe('/v1/notifications?status=Delivered&limit=5');
  });

  it.each([[['list', '--status', 'Lost']], [['list', '--limit', '0']], [['list', 'x']]])(
    'exits 2 for %j',
    async (argv) => {
      const { code } = await cli(argv);

      expect(code).toBe(2);
    },
  );
});
