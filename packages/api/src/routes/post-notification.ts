import {
  AppError,
  idempotentNotificationId,
  notificationRequestSchema,
  type AcceptInput,
  type AcceptResult,
  type NotificationRequest,
  type NotificationStore,
} from '@herald/core';
import type { Request, RequestHandler } from 'express';
import { clientOf } from '../middleware/require-client-token';
import type { RecipientCap } from '../recipient-cap';
import { parseOrThrow } from '../validation';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export interface PostNotificationDeps {
  accept: (input: AcceptInput) => Promise<AcceptResult>;
  checkUrls: (request: NotificationRequest, clientId: string) => Promise<void>;
  store: Pick<NotificationStore, 'get'>;
  recipientCap?: RecipientCap;
}

/**
 * `POST /v1/notifications`: validate, check the recipient cap, store durably, answer
 * `202 Pending` (the enqueue follows the answer). A retry with the same `Idempotency-Key` and body gets the same answer (and is
 * not counted against the cap again); a different body gets `422`. A cap hit is a `429` that
 * stores nothing.
 */
export function postNotification(deps: PostNotificationDeps): RequestHandler {
  return async (req, res) => {
    const client = clientOf(res);
    const key = idempotencyKeyOf(req);
    const request = parseOrThrow(notificationRequestSchema, req.body, 'Notification');
    await deps.checkUrls(request, client.clientId);
    const input: AcceptInput = {
      clientId: client.clientId,
      request,
      ...(key !== undefined ? { idempotencyKey: key } : {}),
    };
    const uncount = await countRecipient(deps, input);
    let result: AcceptResult;
    try {
      result = await deps.accept(input);
    } catch (err) {
      uncount();
      throw err;
    }
    if (result.replayed) {
      // A concurrent request with the same key stored it first and was counted for it.
      uncount();
      res.set('Idempotent-Replayed', 'true');
    }
    const { notification } = result;
    res.status(202).location(`/v1/notifications/${notification.id}`).json(notification);
  };
}

function idempotencyKeyOf(req: Request): string | undefined {
  const key = req.get('idempotency-key');
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    throw new AppError(
      'VALIDATION_FAILED',
      'Idempotency-Key must be 1-255 printable ASCII characters',
      {
        details: [
          { path: 'headers.idempotency-key', message: 'must be 1-255 printable ASCII characters' },
        ],
      },
    );
  }
  return key;
}

/**
 * Counts a new notification against the recipient cap. A replay of one already stored was counted
 * when it was first accepted, so it is looked up by its derived id and not counted again (one
 * extra store read, only for capped channels with an Idempotency-Key). Returns the undo.
 */
async function countRecipient(deps: PostNotificationDeps, input: AcceptInput) {
  const cap = deps.recipientCap;
  if (!cap?.applies(input.request)) return () => undefined;
  if (input.idempotencyKey !== undefined) {
    const id = idempotentNotificationId(input.clientId, input.idempotencyKey);
    if ((await deps.store.get(id)) !== undefined) return () => undefined;
  }
  return cap.take(input.request);
}
