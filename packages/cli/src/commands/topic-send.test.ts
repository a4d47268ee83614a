import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startFakeApi } from '../testing';
import type { FakeApi, FakeApiReply, RecordedRequest } from '../testing';

const TOPIC = '3f1e2d4c-5b6a-4978-8a9b-0c1d2e3f4a5b';
const ACCEPTED = {
  id: 'ntf_0000000000000000000000000a',
  kind: 'topic',
  topicId: TOPIC,
  status: 'Pending',
  createdAt: '2026-01-01T00:00:00.000Z',
};

let api: FakeApi;
let reply: (req: RecordedRequest) => FakeApiReply;
let dir: string;

beforeEach(async () => {
  reply = () => ({ status: 202, body: ACCEPTED });
  api = await startFakeApi((req) => reply(req));
  dir = await mkdtemp(join(tmpdir(), 'herald-topic-send-'));
});

afterEach(async () => {
  await api.close();
});

function cli(argv: string[], stdin?: string) {
  const env = { HERALD_API_URL: api.url, HERALD_TOKEN: 'tok', HERALD_DATA_DIR: '/nonexistent' };
  return runCli(['topics', 'send', ...argv], {
    env,
    cwd: dir,
    ...(stdin === undefined ? {} : { stdin }),
  });
}

const bodyOf = (i = 0) => JSON.parse(api.requests[i]?.body ?? 'null') as unknown;

describe('herald topics send', () => {
  it('sends from flags with an Idempotency-Key and prints the parent id alone', async () => {
    const { code, stdout } = await cli([
      TOPIC,
      '--title',
      'Beam down',
      '--body',
      'BL-1 lost beam',
      '--channels',
      'push,email',
      '--send-at',
      '2026-01-02T08:00:00Z',
      '--critical',
      '--idempotency-key',
      'beam-1',
    ]);

    expect(code).toBe(0);
    expect(stdout).toBe(ACCEPTED.id);
    expect(api.requests[0]?.method).toBe('POST');
    expect(api.requests[0]?.url).toBe(`/v1/topics/${TOPIC}/notifications`);
    expect(api.requests[0]?.headers['idempotency-key']).toBe('beam-1');
    expect(bodyOf()).toEqual({
      title: 'Beam down',
      body: 'BL-1 lost beam',
      channels: ['push', 'email'],
      sendAt: '2026-01-02T08:00:00Z',
      critical: true,
    });
  });

  it('sends a whole body from a file or stdin, and refuses flags beside it', async () => {
    const body = { title: 'Maintenance', overrides: { sms: { body: 'Maintenance at 8' } } };
    await writeFile(join(dir, 'send.json'), JSON.stringify(body));

    const file = await cli([TOPIC, '--json', 'send.json']);
    const stdin = await cli([TOPIC, '--json', '-'], JSON.stringify(body));
    const mixed = await cli([TOPIC, '--json', '-', '--title', 'x'], '{}');

    expect([file.code, stdin.code, mixed.code]).toEqual([0, 0, 2]);
    expect(bodyOf(0)).toEqual(body);
    expect(bodyOf(1)).toEqual(body);
    expect(api.requests).toHaveLength(2);
  });

  it('exits 2 before any request for a missing topic or title, or an invalid body', async () => {
    const results = await Promise.all([
      cli(['--title', 'x']),
      cli([TOPIC]),
      cli([TOPIC, '--title', 'x', '--send-at', 'tomorrow']),
      cli([TOPIC, '--title', 'x', '--channels', 'pigeon']),
    ]);

    expect(results.map((r) => r.code)).toEqual([2, 2, 2, 2]);
    expect(results[2]?.stderr).toContain('sendAt');
    expect(api.requests).toHaveLength(0);
  });

  it('exits 1 with the API’s answer for an unknown topic', async () => {
    reply = () => ({
      status: 404,
      body: { error: { code: 'NOT_FOUND', message: 'Topic not found' } },
    });

    const { code, stdout, stderr } = await cli([TOPIC, '--title', 'x']);

    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('Topic not found');
  });
});
