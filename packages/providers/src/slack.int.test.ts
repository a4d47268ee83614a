/**
 * The Slack provider through the guarded agent, as the worker builds it (local mode: loopback and
 * http allowed), against a local HTTP server standing in for hooks.slack.com: each path answers
 * the way Slack does for one situation.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OutboundMessage, SlackNotificationRequest } from '@herald/core';
import { createGuardedAgent, createUrlGuard } from '@herald/guards';
import type { GuardedAgent, ResolvedAddress, UrlGuardOptions } from '@herald/guards';
import { createSlackProvider } from './slack';
import type { SlackProviderOptions } from './slack';
import { failureOf, never } from './testing-failures';

interface Recorded {
  path: string;
  contentType: string | undefined;
  body: unknown;
}

const ANSWERS: Record<string, (res: ServerResponse) => void> = {
  '/services/T1/B1/ok': (res) => res.writeHead(200, { 'content-type': 'text/html' }).end('ok'),
  '/services/T1/B1/gone': (res) => res.writeHead(404).end('no_service'),
  '/services/T1/B1/archived': (res) => res.writeHead(410).end('channel_is_archived'),
  '/services/T1/B1/bad': (res) => res.writeHead(400).end('invalid_payload'),
  '/services/T1/B1/busy': (res) => res.writeHead(429, { 'retry-after': '1' }).end('rate_limited'),
  '/services/T1/B1/broken': (res) => res.writeHead(500).end('<html>oops</html>'),
  '/services/T1/B1/moved': (res) =>
    res.writeHead(302, { location: '/services/T1/B1/ok' }).end('redirect'),
};

function aMessage(
  to: SlackNotificationRequest['to'],
  overrides: Partial<SlackNotificationRequest> = {},
): OutboundMessage<SlackNotificationRequest> {
  return {
    notificationId: 'ntf_0123456789abcdefghijklmnop',
    request: { channel: 'slack', to, text: 'Deploy finished', ...overrides },
  };
}

/** Answers `first` for the first lookup and `later` for every one after: a rebinding name. */
function rebindingLookup(first: string, later: string) {
  let calls = 0;
  return (): Promise<ResolvedAddress[]> => {
    calls += 1;
    return Promise.resolve([{ address: calls === 1 ? first : later, family: 4 }]);
  };
}

describe('Slack provider against a local webhook server', () => {
  const recorded: Recorded[] = [];
  let server: Server;
  let base: string;
  let connections = 0;
  const agents: GuardedAgent[] = [];

  /** The provider as the worker builds it; local mode unless `guard` says otherwise. */
  function slackWith(opts: SlackProviderOptions = {}, guard: Partial<UrlGuardOptions> = {}) {
    const urlGuard = createUrlGuard({ allowLoopback: true, allowHttp: true, ...guard });
    const agent = createGuardedAgent(urlGuard);
    agents.push(agent);
    return createSlackProvider({
      agent,
      urlGuard: (url) => Promise.resolve(urlGuard.parse(url, 'to.webhookUrl')),
      ...opts,
    });
  }

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const path = req.url ?? '';
        const text = Buffer.concat(chunks).toString('utf8');
        recorded.push({
          path,
          contentType: req.headers['content-type'],
          body: text === '' ? undefined : JSON.parse(text),
        });
        (ANSWERS[path] ?? ((r: ServerResponse) => r.writeHead(404).end('no_service')))(res);
      });
    });
    server.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  beforeEach(() => {
    recorded.length = 0;
    connections = 0;
  });

  afterEach(() => agents.splice(0).forEach((agent) => agent.destroy()));

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('posts the text and blocks as JSON to a raw webhook URL', async () => {
    const provider = slackWith();
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*v1.2* is live' } }];

    const result = await provider.send(
      aMessage({ webhookUrl: `${base}/services/T1/B1/ok` }, { blocks }),
      never(),
    );

    expect(result).toEqual({ providerMessageId: 'slack:ntf_0123456789abcdefghijklmnop' });
    expect(recorded).toEqual([
      {
        path: '/services/T1/B1/ok',
        contentType: 'application/json; charset=utf-8',
        body: { text: 'Deploy finished', blocks },
      },
    ]);
  });

  it('posts to a configured webhook by name', async () => {
    const provider = slackWith({ webhooks: { deploys: `${base}/services/T1/B1/ok` } });

    await provider.send(aMessage({ webhook: 'deploys' }), never());

    expect(recorded).toEqual([expect.objectContaining({ body: { text: 'Deploy finished' } })]);
  });

  it.each([
    ['gone', false, 'subscription_gone', 'no_service'],
    ['archived', false, 'subscription_gone', 'channel_is_archived'],
    ['bad', false, 'provider_rejected', 'invalid_payload'],
    ['busy', true, 'provider_unavailable', 'rate_limited'],
    ['broken', true, 'provider_unavailable', '500'],
  ])('maps the %s answer to retryable %s, %s', async (path, retryable, reasonCode, code) => {
    const provider = slackWith();
    const url = `${base}/services/T1/B1/${path}`;

    const err = await failureOf(provider.send(aMessage({ webhookUrl: url }), never()));

    expect(err).toMatchObject({ retryable, reasonCode, providerCode: code, deadTarget: false });
    expect(err.message).not.toContain(url);
  });

  it('refuses a redirect without following it', async () => {
    const provider = slackWith();

    const err = await failureOf(
      provider.send(aMessage({ webhookUrl: `${base}/services/T1/B1/moved` }), never()),
    );

    expect(err).toMatchObject({ retryable: false, reasonCode: 'provider_rejected' });
    expect(recorded.map((r) => r.path)).toEqual(['/services/T1/B1/moved']);
  });

  it('counts a server that is not listening as retryable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const url = `http://127.0.0.1:${port}/services/T1/B1/secret`;

    const err = await failureOf(slackWith().send(aMessage({ webhookUrl: url }), never()));

    expect(err).toMatchObject({
      retryable: true,
      reasonCode: 'provider_unavailable',
      message: 'Slack webhook could not be reached',
    });
    expect(err.providerCode).toBeUndefined();
    expect(`${err.message}\n${String(err.cause)}`).not.toContain('secret');
  });

  it('says the same about a TLS failure as about a refused connection', async () => {
    // https spoken to the plain-HTTP server: the TLS handshake fails.
    const url = `${base.replace('http:', 'https:')}/services/T1/B1/ok`;

    const err = await failureOf(slackWith().send(aMessage({ webhookUrl: url }), never()));

    expect(err).toMatchObject({
      retryable: true,
      reasonCode: 'provider_unavailable',
      message: 'Slack webhook could not be reached',
    });
    expect(err.providerCode).toBeUndefined();
  });

  it('never connects to a host that resolved to a public address when checked but loopback when sent', async () => {
    const lookup = rebindingLookup('93.184.215.14', '127.0.0.1');
    const guard = createUrlGuard({
      allowLoopback: false,
      allowHttp: true,
      allowAnyPort: true,
      lookup,
    });
    const agent = createGuardedAgent(guard);
    agents.push(agent);
    const provider = createSlackProvider({
      agent,
      urlGuard: (url) => guard.check(url, 'to.webhookUrl'),
    });
    const url = `http://hooks.test:${new URL(base).port}/services/T1/B1/ok`;

    const err = await failureOf(provider.send(aMessage({ webhookUrl: url }), never()));

    expect(err).toMatchObject({ retryable: false, reasonCode: 'webhook_not_allowed' });
    expect(connections).toBe(0);
  });

  it('refuses a port other than 443 outside local mode, without connecting', async () => {
    const lookup = () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
    const provider = slackWith({}, { allowLoopback: false, allowAnyPort: false, lookup });
    const url = `http://hooks.test:${new URL(base).port}/services/T1/B1/ok`;

    const err = await failureOf(provider.send(aMessage({ webhookUrl: url }), never()));

    expect(err).toMatchObject({ retryable: false, reasonCode: 'webhook_not_allowed' });
    expect(connections).toBe(0);
  });

  it('never connects to a configured webhook on a private address outside local mode', async () => {
    const provider = slackWith(
      { webhooks: { ops: `${base}/services/T1/B1/ok` } },
      { allowLoopback: false, allowAnyPort: true },
    );

    const err = await failureOf(provider.send(aMessage({ webhook: 'ops' }), never()));

    expect(err).toMatchObject({ retryable: false, reasonCode: 'webhook_not_allowed' });
    expect(connections).toBe(0);
  });
});
