import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startFakeApi } from '../testing';
import type { FakeApi, FakeApiReply, RecordedRequest } from '../testing';

const T = '2026-01-01T00:00:00.000Z';
const ALICE = { id: 'alice@example.com', email: 'alice@example.com', createdAt: T, updatedAt: T };
const FCM = { fcm: { token: 'fcm-token-0123456789abcdef' } };
const DEVICE = { deviceId: 'dev_1', target: FCM, createdAt: T, updatedAt: T };

let api: FakeApi;
let reply: (req: RecordedRequest) => FakeApiReply;
let dir: string;

beforeEach(async () => {
  reply = () => ({ status: 200, body: ALICE, headers: { etag: '"abc.1"' } });
  api = await startFakeApi((req) => reply(req));
  dir = await mkdtemp(join(tmpdir(), 'herald-recipients-'));
});

afterEach(async () => {
  await api.close();
});

function cli(argv: string[], stdin?: string) {
  const env = { HERALD_API_URL: api.url, HERALD_TOKEN: 'tok', HERALD_DATA_DIR: '/nonexistent' };
  return runCli(argv, { env, cwd: dir, ...(stdin === undefined ? {} : { stdin }) });
}

const sent = (i = 0) => {
  const req = api.requests[i];
  return {
    method: req?.method,
    url: req?.url,
    body: req?.body ? (JSON.parse(req.body) as unknown) : undefined,
  };
};

describe('herald recipients put|get|delete', () => {
  it('puts a profile from flags with If-Match, printing it and its ETag', async () => {
    const { code, stdout, stderr } = await cli([
      'recipients',
      'put',
      'alice@example.com',
      '--email',
      'alice@example.com',
      '--timezone',
      'Europe/Oslo',
      '--if-match',
      '"abc.0"',
    ]);

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(ALICE);
    expect(stderr).toContain('ETag: "abc.1"');
    expect(sent()).toEqual({
      method: 'PUT',
      url: '/v1/recipients/alice%40example.com',
      body: { email: 'alice@example.com', timezone: 'Europe/Oslo' },
    });
    expect(api.requests[0]?.headers['if-match']).toBe('"abc.0"');
  });

  it('puts a whole profile from a JSON file, and refuses flags beside it', async () => {
    await writeFile(join(dir, 'alice.json'), JSON.stringify({ slack: { userId: 'U024BE7LH' } }));

    const ok = await cli(['recipients', 'put', 'alice', '--json', 'alice.json']);
    const mixed = await cli(['recipients', 'put', 'alice', '--json', '-', '--name', 'A'], '{}');

    expect(ok.code).toBe(0);
    expect(sent().body).toEqual({ slack: { userId: 'U024BE7LH' } });
    expect(mixed.code).toBe(2);
    expect(api.requests).toHaveLength(1);
  });

  it('gets and deletes a recipient', async () => {
    reply = (req) => (req.method === 'DELETE' ? { status: 204 } : { status: 200, body: ALICE });

    const got = await cli(['recipients', 'get', 'alice@example.com']);
    const deleted = await cli(['recipients', 'delete', 'alice@example.com']);

    expect(JSON.parse(got.stdout)).toEqual(ALICE);
    expect(deleted.code).toBe(0);
    expect(api.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /v1/recipients/alice%40example.com',
      'DELETE /v1/recipients/alice%40example.com',
    ]);
  });

  it("prints the API's problems and exits 1 on a 400", async () => {
    reply = () => ({
      status: 400,
      body: {
        error: {
          code: 'VALIDATION_FAILED',
          message: 'Recipient is invalid',
          details: [{ path: 'phone', message: 'must be a phone number in E.164 form' }],
        },
      },
    });

    const { code, stderr } = await cli(['recipients', 'put', 'bob', '--phone', '12345']);

    expect(code).toBe(1);
    expect(stderr).toContain('phone: must be a phone number in E.164 form');
  });

  it('exits 2 on a missing id or an unknown subcommand, before any request', async () => {
    const results = await Promise.all([
      cli(['recipients', 'get']),
      cli(['recipients', 'rename', 'x']),
      cli(['recipients']),
      cli(['recipients', 'devices', 'remove', 'alice']),
    ]);

    expect(results.map((r) => r.code)).toEqual([2, 2, 2, 2]);
    expect(api.requests).toHaveLength(0);
  });
});

describe('herald recipients devices', () => {
  it('adds from stdin, lists and removes devices', async () => {
    reply = (req) => {
      if (req.method === 'POST') return { status: 201, body: DEVICE };
      if (req.method === 'GET') return { status: 200, body: { items: [DEVICE] } };
      return { status: 204 };
    };

    const added = await cli(
      ['recipients', 'devices', 'add', 'dave', '--json', '-'],
      JSON.stringify(FCM),
    );
    const listed = await cli(['recipients', 'devices', 'list', 'dave']);
    const removed = await cli(['recipients', 'devices', 'remove', 'dave', 'dev_1']);

    expect(JSON.parse(added.stdout)).toEqual(DEVICE);
    expect(sent().body).toEqual(FCM);
    expect(JSON.parse(listed.stdout)).toEqual([DEVICE]);
    expect(removed.code).toBe(0);
    expect(api.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /v1/recipients/dave/devices',
      'GET /v1/recipients/dave/devices',
      'DELETE /v1/recipients/dave/devices/dev_1',
    ]);
  });
});

describe('herald recipients preferences', () => {
  it('gets and puts preferences with If-Match', async () => {
    const prefs = { channels: { sms: false } };
    reply = (req) =>
      req.method === 'GET'
        ? { status: 200, body: {}, headers: { etag: '"p.0"' } }
        : { status: 201, body: prefs, headers: { etag: '"p.1"' } };

    const got = await cli(['recipients', 'preferences', 'get', 'erin']);
    const put = await cli(
      ['recipients', 'preferences', 'put', 'erin', '--json', '-', '--if-match', '"p.0"'],
      JSON.stringify(prefs),
    );

    expect(JSON.parse(got.stdout)).toEqual({});
    expect(got.stderr).toContain('ETag: "p.0"');
    expect(JSON.parse(put.stdout)).toEqual(prefs);
    expect(sent(1)).toEqual({ method: 'PUT', url: '/v1/recipients/erin/preferences', body: prefs });
    expect(api.requests[1]?.headers['if-match']).toBe('"p.0"');
  });

  it('needs --json to put', async () => {
    const { code } = await cli(['recipients', 'preferences', 'put', 'erin']);

    expect(code).toBe(2);
  });
});
