import { AppError, ProviderError } from '@herald/core';
import type { OutboundMessage, SlackNotificationRequest } from '@herald/core';
import { createSlackProvider } from './slack';
import { failureOf, never } from './testing-failures';

const SECRET_URL = 'https://hooks.slack.com/services/T000/B000/s3cr3tT0k3n';

/** Records every request; `answer` decides each response. */
function fakeFetch(answer: () => Promise<Response> = () => Promise.resolve(new Response('ok'))) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = ((url: string, init: RequestInit) => {
    calls.push({ url, init });
    return answer();
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

function aMessage(
  overrides: Partial<SlackNotificationRequest> = {},
): OutboundMessage<SlackNotificationRequest> {
  return {
    notificationId: 'ntf_0123456789abcdefghijklmnop',
    request: {
      channel: 'slack',
      to: { webhookUrl: SECRET_URL },
      text: 'Deploy done',
      ...overrides,
    },
  };
}

function expectNoSecret(err: Error): void {
  const seen = [err.message, err.stack, String((err.cause as Error | undefined)?.message)];
  expect(seen.join('\n')).not.toContain('s3cr3tT0k3n');
}

describe('createSlackProvider', () => {
  it('posts the text and blocks as JSON, without following redirects', async () => {
    const { fetch, calls } = fakeFetch();
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*done*' } }];
    const signal = never();

    const result = await createSlackProvider({ fetch }).send(aMessage({ blocks }), signal);

    expect(result).toEqual({ providerMessageId: 'slack:ntf_0123456789abcdefghijklmnop' });
    expect(calls[0]?.url).toBe(SECRET_URL);
    expect(calls[0]?.init).toMatchObject({ method: 'POST', redirect: 'manual', signal });
    expect(calls[0]?.init.headers).toEqual({ 'content-type': 'application/json; charset=utf-8' });
    expect(JSON.parse(calls[0]?.init.body as string)).toEqual({ text: 'Deploy done', blocks });
  });

  it('leaves blocks out when there are none', async () => {
    const { fetch, calls } = fakeFetch();

    await createSlackProvider({ fetch }).send(aMessage(), never());

    expect(JSON.parse(calls[0]?.init.body as string)).toEqual({ text: 'Deploy done' });
  });

  it('posts to a configured webhook by name, without asking the guard', async () => {
    const { fetch, calls } = fakeFetch();
    const urlGuard = jest.fn(() => Promise.resolve());
    const provider = createSlackProvider({ fetch, urlGuard, webhooks: { ops: SECRET_URL } });

    await provider.send(aMessage({ to: { webhook: 'ops' } }), never());

    expect(calls[0]?.url).toBe(SECRET_URL);
    expect(urlGuard).not.toHaveBeenCalled();
  });

  it('leaves conversation ids to the bot provider, calling nothing', async () => {
    const { fetch, calls } = fakeFetch();
    const slack = createSlackProvider({ fetch });

    const err = await failureOf(slack.send(aMessage({ to: { conversation: 'C0123' } }), never()));

    expect(err).toMatchObject({ retryable: false, reasonCode: 'target_not_supported' });
    expect(calls).toHaveLength(0);
  });

  it('refuses an unknown webhook name permanently', async () => {
    const { fetch, calls } = fakeFetch();

    const err = await failureOf(
      createSlackProvider({ fetch }).send(aMessage({ to: { webhook: 'nope' } }), never()),
    );

    expect(err).toMatchObject({ retryable: false, reasonCode: 'webhook_not_configured' });
    expect(calls).toHaveLength(0);
  });

  it('checks a raw webhook URL with the guard before sending', async () => {
    const { fetch, calls } = fakeFetch();
    const urlGuard = jest.fn(() =>
      Promise.reject(new AppError('VALIDATION_FAILED', 'to.webhookUrl is not allowed')),
    );

    const err = await failureOf(createSlackProvider({ fetch, urlGuard }).send(aMessage(), never()));

    expect(urlGuard).toHaveBeenCalledWith(SECRET_URL);
    expect(err).toMatchObject({ retryable: false, reasonCode: 'webhook_not_allowed' });
    expect(calls).toHaveLength(0);
  });

  it('passes a ProviderError from the guard through, and retries when it cannot decide', async () => {
    const { fetch } = fakeFetch();
    const own = new ProviderError('slack', false, 'nope', { reasonCode: 'recipient_blocked' });
    const refusing = createSlackProvider({ fetch, urlGuard: () => Promise.reject(own) });
    const unsure = createSlackProvider({
      fetch,
      urlGuard: () => Promise.reject(new AppError('UNAVAILABLE', 'could not resolve')),
    });

    const passed = await failureOf(refusing.send(aMessage(), never()));
    const retried = await failureOf(unsure.send(aMessage(), never()));

    expect(passed).toBe(own);
    expect(retried).toMatchObject({ retryable: true, reasonCode: 'provider_unavailable' });
  });

  it.each([
    [404, 'no_service', false, 'subscription_gone'],
    [410, 'channel_is_archived', false, 'subscription_gone'],
    [400, 'invalid_payload', false, 'provider_rejected'],
    [403, 'action_prohibited', false, 'provider_rejected'],
    [302, '', false, 'provider_rejected'],
    [429, 'rate_limited', true, 'provider_unavailable'],
    [500, 'rollup_error', true, 'provider_unavailable'],
    [503, '<html>busy</html>', true, 'provider_unavailable'],
  ])('maps %i %s to retryable %s, %s', async (status, body, retryable, reasonCode) => {
    const { fetch } = fakeFetch(() => Promise.resolve(new Response(body || null, { status })));

    const err = await failureOf(createSlackProvider({ fetch }).send(aMessage(), never()));

    expect(err).toMatchObject({ retryable, reasonCode, deadTarget: false });
    expect(err.providerCode).toBe(/^[a-z_]+$/.test(body) ? body : String(status));
    expect(err.message).not.toContain('<html>');
    expectNoSecret(err);
  });

  it('counts a network failure as retryable, naming neither the URL nor the failure', async () => {
    const socket = Object.assign(new Error(`connect ECONNREFUSED for ${SECRET_URL}`), {
      code: 'ECONNREFUSED',
    });
    const { fetch } = fakeFetch(() =>
      Promise.reject(new TypeError(`fetch failed ${SECRET_URL}`, { cause: socket })),
    );

    const err = await failureOf(createSlackProvider({ fetch }).send(aMessage(), never()));

    expect(err).toMatchObject({
      retryable: true,
      reasonCode: 'provider_unavailable',
      message: 'Slack webhook could not be reached',
      cause: { code: 'ECONNREFUSED' },
    });
    expect(err.providerCode).toBeUndefined();
    expectNoSecret(err);
  });

  it('reports a deadline as a retryable timeout', async () => {
    const controller = new AbortController();
    const { fetch } = fakeFetch(() => {
      controller.abort();
      return Promise.reject(new DOMException('aborted', 'AbortError'));
    });

    const err = await failureOf(createSlackProvider({ fetch }).send(aMessage(), controller.signal));

    expect(err).toMatchObject({ retryable: true, reasonCode: 'provider_timeout' });
  });

  it('rejects a configured webhook that is not an http(s) URL, without quoting it', () => {
    const create = () => createSlackProvider({ webhooks: { ops: 'ftp://s3cr3tT0k3n@x' } });

    expect(create).toThrow(AppError);
    expect(create).toThrow(/Slack webhook ops is not an http\(s\) URL/);
    expect(create).not.toThrow(/s3cr3tT0k3n/);
  });
});
