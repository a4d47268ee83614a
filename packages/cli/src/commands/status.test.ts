import { runCli, startFakeApi } from '../testing';
import type { FakeApi, FakeApiReply, RecordedRequest } from '../testing';

const VIEW = {
  id: 'ntf_01',
  channel: 'email',
  status: 'Delivered',
  createdAt: '2026-03-01T12:00:00.000Z',
  updatedAt: '2026-03-01T12:00:01.000Z',
  attempts: 1,
  events: [],
};

let api: FakeApi;
let reply: (req: RecordedRequest) => FakeApiReply;

beforeEach(async () => {
  reply = () => ({ status: 200, body: VIEW });
  api = await startFakeApi((req) => reply(req));
});

afterEach(async () => {
  await api.close();
});

function cli(argv: string[]) {
  return runCli(argv, {
    env: { HERALD_API_URL: api.url, HERALD_TOKEN: 'tok', HERALD_DATA_DIR: '/nonexistent' },
  });
}

describe('herald status', () => {
  it('prints the notification view', async () => {
    const { code, stdout } = await cli(['status', 'ntf_01']);

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(VIEW);
    expect(api.requests[0]).toMatchObject({ method: 'GET', url: '/v1/notifications/ntf_01' });
  });

  it('waits for a final status with --wait', async () => {
    let calls = 0;
    reply = () => {
      calls += 1;
      return { status: 200, body: calls === 1 ? { ...VIEW, status: 'Pending' } : VIEW };
    };

    const { code, stdout } = await cli(['status', 'ntf_01', '--wait', '30']);

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ status: 'Delivered' });
    expect(api.requests[1]?.url).toMatch(/^\/v1\/notifications\/ntf_01\?waitSeconds=\d+$/);
  });

  it('exits 1 for an unknown notification', async () => {
    reply = () => ({
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
      expect(api.requests).toHaveLength(0);
    },
  );
});

describe('herald list', () => {
  it('passes the filters and prints the page', async () => {
    const page = { items: [VIEW], nextCursor: 'c2' };
    reply = () => ({ status: 200, body: page });

    const { code, stdout } = await cli(['list', '--status', 'delivered', '--limit', '5']);

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(page);
    expect(api.requests[0]?.url).toBe('/v1/notifications?status=Delivered&limit=5');
  });

  it.each([[['list', '--status', 'Lost']], [['list', '--limit', '0']], [['list', 'x']]])(
    'exits 2 for %j',
    async (argv) => {
      const { code } = await cli(argv);

      expect(code).toBe(2);
    },
  );
});
