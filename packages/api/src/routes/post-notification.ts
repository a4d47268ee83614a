import {
  AppError,
  cappedNumberOf,
  idempotentNotificationId,
  type AcceptInput,
  type AcceptResult,
  type ClientSettings,
  type Clock,
  type NotificationRequest,
  type NotificationStore,
  type RecipientCaps,
  type RecipientStore,
} from '@herald/core';
import type { RequestHandler } from 'express';
import { idempotencyKeyOf } from '../idempotency-key';
import { clientSettingsOf } from '../middleware/client-limits';
import { clientOf } from '../middleware/require-client-token';
import { checkParsed, parseSend } from '../recipient-send';
import { assertWebhookAllowed } from '../webhook-scope';

export interface PostNotificationDeps {
  accept: (input: AcceptInput) => Promise<AcceptResult>;
  checkUrls: (request: NotificationRequest, clientId: string) => Promise<void>;
  store: Pick<NotificationStore, 'get'>;
  /** Per-number caps on sms and whatsapp, shared with every api instance and worker. */
  recipientCaps?: RecipientCaps;
  clock: Clock;
  /** Resolves sends naming a recipient; without it every such send is `404`. */
  recipients?: Pick<RecipientStore, 'getAddressBook'>;
}

/**
 * `POST /v1/notifications`: validate (resolving a named recipient's address, see `parseSend`),
 * check the client may use a named webhook, check the recipient cap, store durably, answer `202 Pending` (the enqueue follows the answer). A retry
 * with the same `Idempotency-Key` and body gets the same answer (and is not counted against the
 * cap again); a different body gets `422`. A webhook name the client may not use is a `400`, a cap
 * hit a `429`; both store nothing, and only what is stored stays counted. The client's settings
 * (allowed webhook names, its recipient cap) are those `loadClientLimits` read for the request;
 * without them the defaults apply and no named webhook is allowed.
 */
export function postNotification(deps: PostNotificationDeps): RequestHandler {
  return async (req, res) => {
    const client = clientOf(res);
    const key = idempotencyKeyOf(req);
    const parsed = await parseSend(deps, req.body, client.clientId, key);
    const { request } = parsed;
    const settings = clientSettingsOf(res);
    await checkParsed(parsed, async () => {
      await deps.checkUrls(request, client.clientId);
      assertWebhookAllowed(request, settings);
    });
    const input: AcceptInput = {
      clientId: client.clientId,
      ...parsed,
      ...(key !== undefined ? { idempotencyKey: key } : {}),
    };
    const uncount = await countRecipient(deps, input, settings);
    let result: AcceptResult;
    try {
      result = await deps.accept(input);
    } catch (err) {
      await uncount();
      throw err;
    }
    if (result.replayed) {
      // A concurrent request with the same key stored it first and was counted for it.
      await uncount();
      res.set('Idempotent-Replayed', 'true');
    }
    const { notification } = result;
    res.status(202).location(`/v1/notifications/${notification.id}`).json(notification);
  };
}

/**
 * Counts a new notification against the per-number caps (with the client's own override, if
 * set), before it is stored, so concurrent requests can never store more than the cap; the count
 * is given back if nothing is stored or the request turns out to be a replay. A replay of one
 * already stored was counted when it was first accepted, so it is looked up by its derived id and
 * not counted again (one extra store read, only for capped channels with an Idempotency-Key).
 * Over a cap: `429 RATE_LIMITED` with `retryAfterSeconds` (the end of the full window). Returns
 * the undo; a failed undo is swallowed (it errs towards counting one message too many).
 */
async function countRecipient(
  deps: PostNotificationDeps,
  input: AcceptInput,
  settings: ClientSettings | undefined,
): Promise<() => Promise<void>> {
  const caps = deps.recipientCaps;
  const number = cappedNumberOf(input.request);
  if (!caps || !number) return () => Promise.resolve();
  if (input.idempotencyKey !== undefined) {
    const id = idempotentNotificationId(input.clientId, input.idempotencyKey);
    if ((await deps.store.get(id)) !== undefined) return () => Promise.resolve();
  }
  const verdict = await caps.consume(
    input.clientId,
    number,
    deps.clock.now(),
    settings?.limits.recipientCap,
  );
  if (verdict.kind === 'capped') {
    throw new AppError('RATE_LIMITED', 'too many messages to this recipient; retry later', {
      details: { retryAfterSeconds: Math.max(1, Math.ceil(verdict.retryAfterMs / 1000)) },
    });
  }
  let refunded = false;
  return async () => {
    if (refunded) return;
    refunded = true;
    await caps.refund(verdict.ticket).catch(() => undefined);
  };
}
