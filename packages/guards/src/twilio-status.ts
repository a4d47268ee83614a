import type { RefusalCode, RefusalReason } from '@herald/core';

/** What a Twilio error code that no retry fixes means for Herald. */
export interface TwilioErrorMeaning {
  reasonCode: RefusalCode;
  what: string;
}

const invalid = (what: string): TwilioErrorMeaning => ({ reasonCode: 'recipient_invalid', what });
const unreachable = (what: string): TwilioErrorMeaning => ({
  reasonCode: 'recipient_unreachable',
  what,
});
const blocked = (what: string): TwilioErrorMeaning => ({ reasonCode: 'recipient_blocked', what });
const rejected = (what: string): TwilioErrorMeaning => ({ reasonCode: 'provider_rejected', what });

/**
 * Twilio error codes that no retry fixes, from twilio.com/docs/api/errors. The `what` texts are
 * ours: Twilio's own messages quote the phone number.
 */
const PERMANENT_CODES = new Map<number, TwilioErrorMeaning>([
  [21211, invalid('the recipient number is invalid')],
  [21214, invalid('the recipient number cannot be reached')],
  [21217, invalid('the recipient number does not appear valid')],
  [21219, unreachable('the recipient number is not verified for this account')],
  [21401, invalid('the recipient number is invalid')],
  [21407, unreachable('the recipient number does not support SMS')],
  [21408, unreachable("the recipient's region is not enabled for this account")],
  [21421, invalid('the recipient number is invalid')],
  [21604, invalid('the recipient number is missing')],
  [21610, { reasonCode: 'recipient_opted_out', what: 'the recipient has opted out' }],
  [21612, unreachable('the recipient number is not reachable by SMS')],
  [21614, invalid('the recipient number is not a mobile number')],
  [30003, unreachable('the recipient handset is unreachable')],
  [30004, blocked('the message was blocked')],
  [30005, invalid('the recipient handset is unknown')],
  [30006, unreachable('the recipient is a landline or an unreachable carrier')],
  [30007, blocked('the message was filtered by the carrier')],
  [63016, rejected('free-form WhatsApp messages need an open session; use a template')],
  [63024, rejected('the WhatsApp recipient is invalid')],
  [63032, rejected('WhatsApp does not allow this message for this user')],
]);

/**
 * The meaning of Twilio error `code` when no retry fixes it (21211 → `recipient_invalid`, 21610 →
 * `recipient_opted_out`, …); `undefined` for any other code. Both the provider's send errors and
 * the status callbacks the api receives are read with it.
 */
export function permanentTwilioError(code: number): TwilioErrorMeaning | undefined {
  return PERMANENT_CODES.get(code);
}

/** How a Twilio status callback's `MessageStatus` settles a notification. */
export type TwilioDeliveryOutcome = 'delivered' | 'failed' | 'pending';

/**
 * Maps a status callback's `MessageStatus`: `delivered` and `read` (WhatsApp) → `delivered`;
 * `undelivered`, `failed` and `canceled` → `failed`; everything else (queued, sending, sent,
 * accepted, scheduled, unknown values) → `pending`, i.e. wait for a later callback. `errorCode`
 * does not change the outcome: Twilio sets it on failures, and occasionally on delivered messages
 * as a warning.
 */
export function twilioDeliveryOutcome(status: string, _errorCode?: string): TwilioDeliveryOutcome {
  switch (status.toLowerCase()) {
    case 'delivered':
    case 'read':
      return 'delivered';
    case 'undelivered':
    case 'failed':
    case 'canceled':
      return 'failed';
    default:
      return 'pending';
  }
}

/**
 * The refusal reason for a failed status callback: the `permanentTwilioError` reason for a known
 * `ErrorCode` (30003 → `recipient_unreachable`, 30007 → `recipient_blocked`, …), else
 * `provider_undelivered`. The message holds the code, never callback text.
 */
export function twilioReceiptReason(errorCode?: string): RefusalReason {
  const code =
    errorCode !== undefined && /^\d{1,6}$/.test(errorCode) ? Number(errorCode) : undefined;
  const known = code === undefined ? undefined : permanentTwilioError(code);
  if (known !== undefined) {
    return { code: known.reasonCode, message: `Twilio: ${known.what} (code ${code})` };
  }
  return {
    code: 'provider_undelivered',
    message:
      code === undefined
        ? 'Twilio could not deliver the message'
        : `Twilio could not deliver the message (code ${code})`,
  };
}
