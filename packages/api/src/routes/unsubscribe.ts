import {
  AppError,
  isRecipientId,
  isTopicId,
  optOutOfTopicChannel,
  type Clock,
  type PreferenceStore,
} from '@herald/core';
import type { UnsubscribeTarget } from '@herald/guards';
import express, { type Request, type RequestHandler } from 'express';
import { sendUnsubscribePage } from '../unsubscribe-page';

/** What the unsubscribe routes need. */
export interface UnsubscribeDeps {
  /** Checks a link token (`@herald/guards` `createUnsubscribeTokens(secret).verify`). */
  verify: (token: string) => UnsubscribeTarget | undefined;
  preferences: PreferenceStore;
  clock: Clock;
  /** How a chosen outcome is logged (ids only). */
  onOptOut?: (target: UnsubscribeTarget, outcome: 'opted_out' | 'no_recipient') => void;
}

/** A one-click body is tiny; anything larger is not one. */
const MAX_BODY = '4kb';
/** A multipart part named exactly `List-Unsubscribe` whose value is `One-Click`. */
const ONE_CLICK_MULTIPART =
  /;\s*name="?List-Unsubscribe"?\r?\n(?:[^\r\n]+\r?\n)*\r?\nOne-Click\r?\n/i;

/** The token's target when it is one Herald signed and its ids are well-formed; else undefined. */
function targetOf(req: Request, deps: UnsubscribeDeps): UnsubscribeTarget | undefined {
  const token = req.params.token;
  const target = typeof token === 'string' ? deps.verify(token) : undefined;
  if (target === undefined) return undefined;
  return isRecipientId(target.recipientId) && isTopicId(target.topicId) ? target : undefined;
}

/**
 * `GET /v1/unsubscribe/:token`: a confirmation page whose form posts the one-click body back.
 * Changes nothing and reads nothing but the token, so a link scanner following it unsubscribes
 * no one. A token Herald did not sign: `404` (a page too).
 */
export function getUnsubscribe(deps: UnsubscribeDeps): RequestHandler {
  return (req, res) => {
    if (targetOf(req, deps) === undefined) sendUnsubscribePage(res, 404, 'not_found');
    else sendUnsubscribePage(res, 200, 'confirm');
  };
}

/**
 * `POST /v1/unsubscribe/:token` with the RFC 8058 body `List-Unsubscribe=One-Click`
 * (`application/x-www-form-urlencoded`, or the same field in `multipart/form-data`): opts the
 * token's recipient out of the topic's email (`topics.<topicId>.email = false`, every other
 * preference kept) and answers `200` with a page. Idempotent. A recipient erased since the email
 * was sent is `200` too (nothing will reach them) and nothing is written for it. A token Herald
 * did not sign: `404`; no one-click body: `400`.
 */
export function postUnsubscribe(deps: UnsubscribeDeps): RequestHandler[] {
  return [
    express.urlencoded({
      extended: false,
      limit: MAX_BODY,
      parameterLimit: 10,
      type: 'application/x-www-form-urlencoded',
    }),
    express.text({ limit: MAX_BODY, type: 'multipart/form-data' }),
    async (req, res) => {
      const target = targetOf(req, deps);
      if (target === undefined) {
        sendUnsubscribePage(res, 404, 'not_found');
        return;
      }
      if (!isOneClick(req)) {
        throw new AppError(
          'VALIDATION_FAILED',
          'The body must be List-Unsubscribe=One-Click (RFC 8058)',
        );
      }
      const outcome = await optOutOfTopicChannel(deps.preferences, {
        ...target,
        channel: 'email',
        now: deps.clock.now().toISOString(),
      });
      deps.onOptOut?.(target, outcome);
      sendUnsubscribePage(res, 200, 'done');
    },
  ];
}

function isOneClick(req: Request): boolean {
  const body: unknown = req.body;
  if (typeof body === 'string') return ONE_CLICK_MULTIPART.test(body);
  if (typeof body !== 'object' || body === null) return false;
  return (body as Record<string, unknown>)['List-Unsubscribe'] === 'One-Click';
}
