import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startFakeApi } from '../testing';
import type { FakeApi, FakeApiReply, RecordedRequest } from '../testing';

const ACCEPTED = {
  id: 'ntf_01',
  status: 'Pending',
  channel: 'email',
  createdAt: '2026-03-01T12:00:00.000Z',
};

let dir: string;
let api: FakeApi;
let reply: (req: RecordedRequest) => FakeApiReply;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'herald-cli-send-'));
  reply = () => ({ status: 202, body: ACCEPTED });
  api = await startFakeApi((req) => reply(req));
});

afterEach(async () => {
  await api.close();
  await rm(dir, { recursive: true, force: true });
});

function cli(argv: string[], stdin?: string) {
  const env = { HERALD_API_URL: api.url, HERALD_TOKEN: 'tok-123' };
  return runCli(argv, { env, cwd: dir, ...(stdin === undefined ? {} : { stdin }) });
}

function sentBody(): unknown {
  const [request] = api.requests;
  if (request === undefined) throw new Error('nothing was sent');
  return JSON.parse(request.body);
}

describe('herald send', () => {
  it('sends an email built from flags and prints the answer', async () => {
    const { code, stdout } = await cli([
      'send',
      '--channel',
      'email',
      '--to',
      'a@example.com',
      '--to',
      'b@example.com',
      '--cc',
      'c@example.com',
      '--subject',
      'Hi',
      '--text',
      'Hello',
      '--idempotency-key',
      'order-42',
    ]);

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(ACCEPTED);
    const [request] = api.requests;
    expect(request).toMatchObject({ method: 'POST', url: '/v1/notifications' });
    expect(request?.headers.authorization).toBe('Bearer tok-123');
    expect(request?.headers['idempotency-key']).toBe('order-42');
    expect(sentBody()).toEqual({
      channel: 'email',
      to: ['a@example.com', 'b@example.com'],
      cc: 'c@example.com',
      subject: 'Hi',
      text: 'Hello',
    });
  });

  it('sends to a recipient with --recipient, leaving its address to the api', async () => {
    const sms = await cli(['send', '--channel', 'sms', '--recipient', 'alice', '--text', 'Hi']);
    const both = await cli(['send', '--channel', 'sms', '--recipient', 'a', '--to', '+4791234567']);
    const badId = await cli([
      'send',
      '--channel',
      'email',
      '--recipient',
      'not/an/id',
      '--text',
      'x',
    ]);

    expect(sms.code).toBe(0);
    expect(sentBody()).toEqual({ channel: 'sms', recipient: 'alice', body: 'Hi' });
    expect(both.code).not.toBe(0);
    expect(both.stderr).toContain('either --to or --recipient');
    expect(badId.code).not.toBe(0);
    expect(api.requests).toHaveLength(1);
  });

  it('sends an SMS built from flags', async () => {
    const { code } = await cli([
      'send',
      '--channel',
      'sms',
      '--to',
      '+15005550006',
      '--text',
      'Hi',
    ]);

    expect(code).toBe(0);
    expect(sentBody()).toEqual({ channel: 'sms', to: '+15005550006', body: 'Hi' });
  });

  it('sends a raw body from a file', async () => {
    const body = { channel: 'sms', to: '+15005550006', body: 'from file' };
    await writeFile(join(dir, 'n.json'), JSON.stringify(body));

    const { code } = await cli(['send', '--json', 'n.json']);

    expect(code).toBe(0);
    expect(sentBody()).toEqual(body);
  });

  it('sends a raw body from stdin', async () => {
    const body = { channel: 'email', to: 'a@example.com', text: 'from stdin' };

    const { code } = await cli(['send', '--json', '-'], JSON.stringify(body));

    expect(code).toBe(0);
    expect(sentBody()).toEqual(body);
  });

  it('exits 2 without a request for a notification the schema rejects', async () => {
    const { code, stderr } = await cli(['send', '--channel', 'email', '--to', 'not-an-address']);

    expect(code).toBe(2);
    expect(stderr).toContain('to: must be an email address');
    expect(api.requests).toHaveLength(0);
  });

  it.each([
    [['send']],
    [['send', '--channel', 'fax', '--to', 'x']],
    [['send', '--channel', 'sms', '--to', '+15005550006', '--text', 'x', '--subject', 's']],
    [['send', '--json', 'n.json', '--channel', 'email']],
    [['send', '--json', 'missing.json']],
    [['send', '--json', '-']],
  ])('exits 2 for %j', async (argv) => {
    const { code } = await cli(argv, 'not json');

    expect(code).toBe(2);
    expect(api.requests).toHaveLength(0);
  });

  it('exits 1 and prints the details of an API error', async () => {
    reply = () => ({
      status: 422,
      body: {
        error: {
          code: 'IDEMPOTENCY_MISMATCH',
          message: 'key reused for another body',
          details: [{ path: 'text', message: 'differs' }],
        },
      },
    });

    const { code, stdout, stderr } = await cli([
      'send',
      '--channel',
      'email',
      '--to',
      'a@example.com',
      '--text',
      'x',
    ]);

    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('422 IDEMPOTENCY_MISMATCH: key reused for another body');
    expect(stderr).toContain('text: differs');
    expect(stderr).toContain('request id: req-1');
  });

  it('exits 1 when the API cannot be reached', async () => {
    const gone = await startFakeApi(() => ({ status: 500 }));
    await gone.close();

    const { code, stderr } = await runCli(
      ['send', '--channel', 'sms', '--to', '+15005550006', '--text', 'x'],
      { env: { HERALD_API_URL: gone.url, HERALD_TOKEN: 'tok' }, cwd: dir },
    );

    expect(code).toBe(1);
    expect(stderr).toBe(`herald: cannot reach the Herald API at ${gone.url}: ECONNREFUSED`);
  });

  it('exits 1 with a hint when there is no token', async () => {
    const { code, stderr } = await runCli(
      ['send', '--channel', 'sms', '--to', '+15005550006', '--text', 'x'],
      { env: { HERALD_API_URL: api.url }, cwd: dir },
    );

    expect(code).toBe(1);
    expect(stderr).toContain('HERALD_TOKEN');
  });
});
