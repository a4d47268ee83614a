import { breakerKeyOf } from '../breaker-key';
import type { CircuitBreakers } from '../circuit-breaker';
import { ProviderError } from '../errors';
import type { NotificationRecord } from '../notification';
import type { Logger, Provider, SendResult } from '../ports';
import { unpaced, type Pacer } from '../token-bucket';
import { logIds } from './log-ids';

export interface ProviderRouterDeps {
  logger: Logger;
  /**
   * A provider call is aborted after this long (counted from the end of its pacing wait).
   */
  sendTimeoutMs: number;
  /** Pacing waits up to this long in-process; a longer wait ends the route as `paced`. */
  maxPacingWaitMs: number;
  /** Without breakers every provider is always tried. */
  breakers?: CircuitBreakers;
  /** Without a pacer nothing is paced. */
  pacer?: Pacer;
  /**
   * Extra headers for a notification's message (see `OutboundMessage.headers`), e.g. the
   * unsubscribe headers of a topic's emails; `undefined` or `{}`: none.
   */
  messageHeaders?: (record: NotificationRecord) => Readonly<Record<string, string>> | undefined;
}

/** How a route over a channel's providers ended; nothing is written to the store here. */
export type RouteResult =
  /** A provider accepted; `failures` are the transient ones before it (failover). */
  | { kind: 'sent'; provider: Provider; result: SendResult; failures: readonly ProviderError[] }
  /** Not sent: `provider`'s pacing slot is further away than the maximum wait. */
  | { kind: 'paced'; provider: string; waitMs: number }
  /** A provider refused for good (about the message or recipient); failover stops there. */
  | { kind: 'refused'; failure: ProviderError }
  /** Every provider failed transiently or had an open circuit; `last` is the last failure. */
  | { kind: 'failed'; last: ProviderError }
  /** No provider handles this target. */
  | { kind: 'unsupported' };

/**
 * Tries `candidates` in order: an open circuit or a transient failure moves to the next
 * (failover); a send, a permanent refusal or a too-long pacing wait ends the route. Reports every
 * call to the breakers. Never throws: a provider's unexpected exception is a transient failure.
 */
export async function routeToProviders(
  deps: ProviderRouterDeps,
  record: NotificationRecord,
  candidates: readonly Provider[],
): Promise<RouteResult> {
  const failures: ProviderError[] = [];
  for (const provider of candidates) {
    const breakerKey = breakerKeyOf(provider.name, record.clientId, record.request);
    if (deps.breakers && !deps.breakers.canTry(breakerKey)) {
      failures.push(
        new ProviderError(provider.name, true, `${provider.name} circuit is open`, {
          reasonCode: 'circuit_open',
        }),
      );
      continue;
    }
    const call = await callProvider(deps, record, provider);
    reportToBreaker(deps.breakers, breakerKey, call);
    if (call.kind === 'paced')
      return { kind: 'paced', provider: provider.name, waitMs: call.waitMs };
    if (call.kind === 'sent') return { kind: 'sent', provider, result: call.result, failures };
    const failure = call.failure;
    if (failure.reasonCode === 'target_not_supported') continue;
    if (!failure.retryable) return { kind: 'refused', failure };
    deps.logger.warn(
      {
        ...logIds(record),
        provider: provider.name,
        reason: failure.reasonCode,
        providerCode: failure.providerCode,
      },
      'provider failed transiently; trying the next one',
    );
    failures.push(failure);
  }
  const last = failures.at(-1);
  return last === undefined ? { kind: 'unsupported' } : { kind: 'failed', last };
}

/** One provider call's result; `callProvider` never throws. */
type ProviderCall =
  | { kind: 'sent'; result: SendResult }
  | { kind: 'paced'; waitMs: number } // not sent: the wait for a slot is beyond the maximum
  | { kind: 'failed'; failure: ProviderError };

/**
 * Books a pacing slot (waiting for it in-process up to the maximum), then sends with the send
 * timeout, which starts only once the slot is due. Any exception becomes a transient failure.
 */
async function callProvider(
  deps: ProviderRouterDeps,
  record: NotificationRecord,
  provider: Provider,
): Promise<ProviderCall> {
  try {
    const slot = (deps.pacer ?? unpaced).schedule(provider.name, deps.maxPacingWaitMs);
    if (!slot.reserved) return { kind: 'paced', waitMs: slot.waitMs };
    if (slot.waitMs > 0) await new Promise((resolve) => setTimeout(resolve, slot.waitMs));
    const headers = deps.messageHeaders?.(record);
    const result = await provider.send(
      {
        notificationId: record.id,
        clientId: record.clientId,
        request: record.request,
        ...(headers && Object.keys(headers).length > 0 ? { headers } : {}),
      },
      AbortSignal.timeout(deps.sendTimeoutMs),
    );
    return { kind: 'sent', result };
  } catch (err) {
    const failure =
      err instanceof ProviderError
        ? err
        : new ProviderError(provider.name, true, 'Provider call failed unexpectedly', {
            cause: err,
          });
    return { kind: 'failed', failure };
  }
}

/**
 * Every call that `canTry` let through reports exactly once, so a half-open trial always ends:
 * an answer closes the circuit (a permanent error is about the message, not the provider's
 * health), a transient failure counts (and re-opens a trial), and a call that never reached the
 * provider (paced, target not supported) frees the trial for the next one.
 */
function reportToBreaker(breakers: CircuitBreakers | undefined, key: string, call: ProviderCall) {
  if (breakers === undefined) return;
  if (call.kind === 'sent') breakers.success(key);
  else if (call.kind === 'paced' || call.failure.reasonCode === 'target_not_supported')
    breakers.release(key);
  else if (call.failure.retryable) breakers.failure(key);
  else breakers.success(key);
}
