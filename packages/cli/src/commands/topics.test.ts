import { runCli, startFakeApi } from '../testing';
import type { FakeApi, FakeApiReply, RecordedRequest } from '../testing';

const T = '2026-01-01T00:00:00.000Z';
const TOPIC = '3f1e2d4c-5b6a-4978-8a9b-0c1d2e3f4a5b';
const OPS = { id: TOPIC, name: 'Ops', description: 'alarms', createdAt: T, updatedAt: T };
const SUB = {
  topicId: TOPIC,
  recipientId: 'alice',
  channels: ['email'],
  createdAt: T,
  updatedAt: T,
};

let api: FakeApi;
let reply: (req: RecordedRequest) => FakeApiReply;

beforeEach(async () => {
  reply = () => ({ status: 200, body: OPS, headers: { etag: '"t1"' } });
  api = await startFakeApi((req) => reply(req));
});

afterEach(async () => {
  await api.close();
});

function cli(argv: string[]) {
  const env = { HERALD_API_URL: api.url, HERALD_TOKEN: 'tok', HERALD_DATA_DIR: '/nonexistent' };
  return runCli(['topics', ...argv], { env, cwd: '/' });
}

const seen = () => api.requests.map((r) => `${r.method} ${r.url}`);
const bodyOf = (i: number) => JSON.parse(api.requests[i]?.body || 'null') as unknown;

describe('herald topics create|list|get|delete', () => {
  it('creates a topic, printing it and its ETag', async () => {
    reply = () => ({ status: 201, body: OPS, headers: { etag: '"t1"' } });

    const { code, stdout, stderr } = await cli([
      'create',
      '--name',
      'Ops',
      '--description',
      'alarms',
    ]);

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(OPS);
    expect(stderr).toContain('ETag: "t1"');
    expect(seen()).toEqual(['POST /v1/topics']);
    expect(bodyOf(0)).toEqual({ name: 'Ops', description: 'alarms' });
    expect(api.requests[0]?.headers.authorization).toBe('Bearer tok');
  });

  it('lists a page, gets and deletes a topic', async () => {
    reply = (req) => {
      if (req.method === 'DELETE') return { status: 204 };
      if (req.url.startsWith('/v1/topics?')) return { status: 200, body: { items: [OPS] } };
      return { status: 200, body: OPS };
    };

    const list = await cli(['list', '--limit', '5', '--cursor', 'c1']);
    const got = await cli(['get', TOPIC]);
    const deleted = await cli(['delete', TOPIC]);

    expect(JSON.parse(list.stdout)).toEqual({ items: [OPS] });
    expect(JSON.parse(got.stdout)).toEqual(OPS);
    expect(deleted.code).toBe(0);
    expect(deleted.stderr).toContain(`deleted topic ${TOPIC}`);
    expect(seen()).toEqual([
      'GET /v1/topics?limit=5&cursor=c1',
      `GET /v1/topics/${TOPIC}`,
      `DELETE /v1/topics/${TOPIC}`,
    ]);
  });

  it('exits 2 before any request for a missing --name, a bad --limit or a missing id', async () => {
    const results = await Promise.all([
      cli(['create']),
      cli(['list', '--limit', '500']),
      cli(['get']),
      cli(['nope']),
    ]);

    expect(results.map((r) => r.code)).toEqual([2, 2, 2, 2]);
    expect(api.requests).toHaveLength(0);
  });

  it('exits 1 with the API’s error for a topic the caller does not have', async () => {
    reply = () => ({
      status: 404,
      body: { error: { code: 'NOT_FOUND', message: 'Topic not found' } },
    });

    const { code, stderr } = await cli(['get', TOPIC]);

    expect(code).toBe(1);
    expect(stderr).toContain('Topic not found');
  });
});

describe('herald topics subscribe|unsubscribe|subscribers', () => {
  it('subscribes with chosen channels, lists subscribers and unsubscribes', async () => {
    reply = (req) => {
      if (req.method === 'DELETE') return { status: 204 };
      if (req.method === 'PUT') return { status: 201, body: SUB };
      return { status: 200, body: { items: [SUB], nextCursor: 'n' } };
    };

    const subscribed = await cli(['subscribe', TOPIC, 'alice', '--channels', 'email,push']);
    const listed = await cli(['subscribers', TOPIC, '--limit', '2']);
    const gone = await cli(['unsubscribe', TOPIC, 'alice']);

    expect(JSON.parse(subscribed.stdout)).toEqual(SUB);
    expect(subscribed.stderr).toContain('subscribed');
    expect(bodyOf(0)).toEqual({ channels: ['email', 'push'] });
    expect(JSON.parse(listed.stdout)).toEqual({ items: [SUB], nextCursor: 'n' });
    expect(gone.code).toBe(0);
    expect(seen()).toEqual([
      `PUT /v1/topics/${TOPIC}/subscribers/alice`,
      `GET /v1/topics/${TOPIC}/subscribers?limit=2`,
      `DELETE /v1/topics/${TOPIC}/subscribers/alice`,
    ]);
  });

  it('subscribes to every channel without --channels, and refuses an unknown channel', async () => {
    reply = () => ({ status: 200, body: SUB });

    const all = await cli(['subscribe', TOPIC, 'alice']);
    const bad = await cli(['subscribe', TOPIC, 'alice', '--channels', 'email,fax']);
    const missing = await cli(['subscribe', TOPIC]);

    expect(all.code).toBe(0);
    expect(all.stderr).toContain('the subscription was updated');
    expect(bodyOf(0)).toEqual({});
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("'fax'");
    expect(missing.code).toBe(2);
    expect(api.requests).toHaveLength(1);
  });
});
