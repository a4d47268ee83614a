import { AppError } from '../errors';
import { e164, emailAddress } from '../schemas/common';
import type { NotificationRequest } from '../schemas/notification-request';
import { targetKeyOf } from '../target-key';

/** Why an address is suppressed: an SMTP hard bounce, an SMS/WhatsApp opt-out, a dead push target. */
export const SUPPRESSION_REASONS = ['hard_bounce', 'opted_out', 'target_gone'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

/**
 * One suppressed address of one client. `address` is the normalised key
 * (`suppressionAddressOf`): `email:<lower-cased address>`, `sms:<E.164>`, `whatsapp:<E.164>`
 * or `push:<target key>` (the hashed push target, `targetKeyOf`: Herald never stores a push
 * endpoint or token here).
 */
export interface SuppressionEntry {
  address: string;
  reason: SuppressionReason;
  /** The notification whose outcome suppressed it. */
  notificationId?: string;
  createdAt: string;
}

/** A page of a client's suppression list, by address; `nextCursor` when more may follow. */
export interface SuppressionPage {
  items: SuppressionEntry[];
  nextCursor?: string;
}

/** Entries per page of `list`. */
export const SUPPRESSION_PAGE_SIZE = 100;

/**
 * A client's suppression list: addresses that must not be sent to again. Every operation is
 * scoped by `clientId`: one client's entries are invisible to every other. Throws AppError
 * `UNAVAILABLE` when the store is unreachable.
 */
export interface SuppressionList {
  /** Which of `addresses` (normalised keys) the client has suppressed. */
  isSuppressed(clientId: string, addresses: readonly string[]): Promise<ReadonlySet<string>>;
  /** Adds (or refreshes) an entry; idempotent. */
  add(clientId: string, entry: SuppressionEntry): Promise<void>;
  /**
   * One page in address order after `cursor` (from a previous page's `nextCursor`). A cursor
   * that is not one Herald made is AppError `VALIDATION_FAILED`.
   */
  list(clientId: string, cursor?: string): Promise<SuppressionPage>;
  /** Lifts an entry; `false` when the client had none for `address`. */
  remove(clientId: string, address: string): Promise<boolean>;
}

const PUSH_KEY = /^[A-Za-z0-9_-]{43}$/;

/**
 * The normalised key of an address as a client writes it in `DELETE /v1/suppressions/:address`
 * (`email:Alice@Example.com` → `email:alice@example.com`), or `undefined` when it is not one.
 * SMS and WhatsApp keep separate entries for one number: an SMS `STOP` (Twilio 21610) is an
 * opt-out from SMS from that sender, and says nothing about WhatsApp, which has its own opt-in.
 */
export function parseSuppressionAddress(text: string): string | undefined {
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  const kind = text.slice(0, colon);
  const value = text.slice(colon + 1);
  switch (kind) {
    case 'email':
      return emailAddress.safeParse(value).success ? `email:${value.toLowerCase()}` : undefined;
    case 'sms':
    case 'whatsapp':
      return e164.safeParse(value).success ? `${kind}:${value}` : undefined;
    case 'push':
      return PUSH_KEY.test(value) ? text : undefined;
    default:
      return undefined;
  }
}

/** The normalised key of one email address. */
export const emailSuppressionAddress = (address: string): string =>
  `email:${address.toLowerCase()}`;

/**
 * Every address a request sends to, as suppression keys: each `to`, `cc` and `bcc` address of an
 * email, the number of an SMS or WhatsApp message, the target of a push. Slack has none (a
 * webhook or conversation is the client's own, not a person who can bounce or opt out).
 */
export function suppressionAddressesOf(request: NotificationRequest): string[] {
  switch (request.channel) {
    case 'email':
      return [
        ...new Set(
          [request.to, request.cc ?? [], request.bcc ?? []].flat().map(emailSuppressionAddress),
        ),
      ];
    case 'sms':
    case 'whatsapp':
      return [`${request.channel}:${request.to}`];
    case 'push': {
      const key = targetKeyOf(request);
      return key === undefined ? [] : [`push:${key}`];
    }
    case 'slack':
      return [];
  }
}

/** A list cursor: the last address of the page, base64url, so it never leaves the caller's list. */
export function encodeSuppressionCursor(address: string): string {
  return Buffer.from(address, 'utf8').toString('base64url');
}

/** The address a cursor names; AppError `VALIDATION_FAILED` for anything Herald did not make. */
export function decodeSuppressionCursor(cursor: string): string {
  const address = /^[A-Za-z0-9_-]{1,600}$/.test(cursor)
    ? Buffer.from(cursor, 'base64url').toString('utf8')
    : undefined;
  if (address === undefined || parseSuppressionAddress(address) !== address) {
    throw new AppError('VALIDATION_FAILED', 'cursor is not valid', {
      details: [{ path: 'query.cursor', message: 'must be a nextCursor from a previous page' }],
    });
  }
  return address;
}

/**
 * Whether `hit` (suppressed keys of the request's client) stops the request altogether: an SMS,
 * WhatsApp or push whose address is in it, or an email whose every `to` address is (its other
 * addresses are then left out of what is sent, not the whole email).
 */
export function isWhollySuppressed(
  request: NotificationRequest,
  hit: ReadonlySet<string>,
): boolean {
  if (hit.size === 0) return false;
  if (request.channel === 'email') {
    return [request.to].flat().every((to) => hit.has(emailSuppressionAddress(to)));
  }
  return suppressionAddressesOf(request).some((address) => hit.has(address));
}
