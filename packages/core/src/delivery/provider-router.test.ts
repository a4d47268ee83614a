import { createCircuitBreakers } from '../circuit-breaker';
import { ProviderError } from '../errors';
import { silentLogger } from '../ports';
import { aPendingRecord, FixedClock, RecordingProvider } from '../testing';
import type { Pacer } from '../token-bucket';
import { routeToProviders, type ProviderRouterDeps } from './provider-router';

const deps: ProviderRouterDeps = {
  logger: silentLogger,
  sendTimeoutMs: 1_000,
  maxPacingWaitMs: 2_000,
};
const transient = (name: string) =>
  Promise.reject(
    new ProviderError(name, true, `${name} is down`, { reasonCode: 'provider_unavailable' }),
  );

function twoProviders() {
  return [
    new RecordingProvider('email', 'first'),
    new RecordingProvider('email', 'second'),
  ] as const;
}

describe('routeToProviders', () => {
  it('sends through the first provider only when it accepts', async () => {
    const [first, second] = twoProviders();
    const record = aPendingRecord();

    const route = await routeToProviders(deps, record, [first, second]);

    expect(route).toEqual({
      kind: 'sent',
      provider: first,
      result: { providerMessageId: `msg-${record.id}` },
      failures: [],
    });
    expect(second.sent).toHaveLength(0);
  });

  it("hands the provider the message's extra headers, and none when there are none", async () => {
    const [first] = twoProviders();
    const headers = { 'List-Unsubscribe': '<https://h.test/u/t>' };
    const withHeaders = { ...deps, messageHeaders: () => headers };

    await routeToProviders(withHeaders, aPendingRecord(), [first]);
    await routeToProviders({ ...deps, messageHeaders: () => ({}) }, aPendingRecord(), [first]);
    await routeToProviders(deps, aPendingRecord(), [first]);

    expect(first.sent.map((m) => m.headers)).toEqual([headers, undefined, undefined]);
  });

  it('fails over to the next provider after a transient failure and names the failure', async () => {
    const [first, second] = twoProviders();
    first.behaviour = () => transient('first');

    const route = await routeToProviders(deps, aPendingRecord(), [first, second]);

    expect(route.kind).toBe('sent');
    if (route.kind !== 'sent') return;
    expect(route.provider).toBe(second);
    expect(route.failures.map((f) => `${f.provider}:${f.reasonCode}`)).toEqual([
      'first:provider_unavailable',
    ]);
  });

  it('stops at a permanent refusal without trying the next provider', async () => {
    const [first, second] = twoProviders();
    first.behaviour = () =>
      Promise.reject(
        new ProviderError('first', false, 'bad address', { reasonCode: 'recipient_invalid' }),
      );

    const route = await routeToProviders(deps, aPendingRecord(), [first, second]);

    expect(route).toMatchObject({ kind: 'refused', failure: { reasonCode: 'recipient_invalid' } });
    expect(second.sent).toHaveLength(0);
  });

  it('ends failed with the last failure when every provider fails transiently', async () => {
    const [first, second] = twoProviders();
    first.behaviour = () => transient('first');
    second.behaviour = () => Promise.reject(new Error('socket hang up'));

    const route = await routeToProviders(deps, aPendingRecord(), [first, second]);

    expect(route.kind).toBe('failed');
    if (route.kind !== 'failed') return;
    expect(route.last.provider).toBe('second');
    expect(route.last.retryable).toBe(true);
    expect(route.last.message).toBe('Provider call failed unexpectedly');
  });

  it('ends unsupported when no provider handles the target', async () => {
    const [first, second] = twoProviders();
    const unsupported = () =>
      Promise.reject(new ProviderError('x', true, 'no', { reasonCode: 'target_not_supported' }));
    first.behaviour = unsupported;
    second.behaviour = unsupported;

    expect(await routeToProviders(deps, aPendingRecord(), [first, second])).toEqual({
      kind: 'unsupported',
    });
  });

  it('skips a provider whose circuit is open without calling it, and counts transient failures', async () => {
    const [first, second] = twoProviders();
    const breakers = createCircuitBreakers({
      failureThreshold: 1,
      cooldownMs: 60_000,
      clock: new FixedClock(),
    });
    first.behaviour = () => transient('first');
    await routeToProviders({ ...deps, breakers }, aPendingRecord(), [first, second]);
    first.sent.length = 0;

    const route = await routeToProviders({ ...deps, breakers }, aPendingRecord(), [first, second]);

    expect(first.sent).toHaveLength(0);
    expect(route).toMatchObject({ kind: 'sent', failures: [{ reasonCode: 'circuit_open' }] });
  });

  it('ends paced without sending when the pacing slot is beyond the maximum wait', async () => {
    const [first, second] = twoProviders();
    const asked: number[] = [];
    const pacer: Pacer = {
      reserve: () => 0,
      schedule: (_key, maxWaitMs) => {
        asked.push(maxWaitMs);
        return { reserved: false, waitMs: 5_000 };
      },
    };

    const route = await routeToProviders({ ...deps, pacer }, aPendingRecord(), [first, second]);

    expect(route).toEqual({ kind: 'paced', provider: 'first', waitMs: 5_000 });
    expect(asked).toEqual([2_000]);
    expect(first.sent).toHaveLength(0);
    expect(second.sent).toHaveLength(0);
  });
});
