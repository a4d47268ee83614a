// The `min` metadata (about 80 kB, the package's default) holds each country's calling code,
// possible lengths and national number pattern, which is all validity needs here; `max` adds
// per-type patterns (mobile, fixed line, …) for type detection that Herald never asks for.
import { isValidPhoneNumber } from 'libphonenumber-js/min';
import { z } from 'zod';

/** No CR/LF anywhere: these values end up in mail headers. */
const NO_LINE_BREAKS = /^[^\r\n]*$/;

export const headerSafeText = (max: number) =>
  z.string().max(max).regex(NO_LINE_BREAKS, 'must not contain line breaks');

export const emailAddress = z
  .string()
  .max(320)
  .regex(NO_LINE_BREAKS, 'must not contain line breaks')
  .pipe(z.email({ message: 'must be an email address' }));

/**
 * A phone number in E.164 form (a plus sign, then 8 to 15 digits, the first not zero) that exists
 * in its country's numbering plan: a known calling code, a length and leading digits the plan
 * allows. An impossible number is refused here rather than paid for at the provider.
 */
export const e164 = z
  .string()
  // abort: a number not in E.164 form gets that one message, not a numbering-plan one too.
  .regex(/^\+[1-9]\d{7,14}$/, { message: 'must be a phone number in E.164 form', abort: true })
  .refine(isValidPhoneNumber, 'must be a phone number that exists in its numbering plan');

export const metadata = z
  .record(z.string().min(1).max(64), z.string().max(1024))
  .refine((m) => Object.keys(m).length <= 20, 'must have at most 20 keys')
  .optional();

/** Optional in every channel: a deadline after which delivery is pointless (an OTP, say). */
export const expiresAt = z.iso.datetime({ offset: true }).optional();

/**
 * Optional in every channel: nothing is sent before this moment. Its window (future, at most 30
 * days ahead, not after `expiresAt`) is checked at accept against the injected clock.
 */
export const sendAt = z.iso.datetime({ offset: true }).optional();

/**
 * Optional in every channel: a notification that must not wait. It bypasses the recipient's
 * quiet hours (it is sent at once) but never an opt-out. Meaningful only for a notification sent
 * to a recipient; on one addressed directly nothing defers it anyway.
 */
export const critical = z.boolean().optional();

/**
 * A link: http(s) only, so `javascript:`, `data:`, `file:` and the like never reach a browser or
 * an HTTP client. Whether plain http is acceptable is decided by the api's URL policy (local mode).
 */
export const httpUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).max(2048);

/**
 * Optional in every channel: Herald POSTs each final status here, signed. Whether http or a
 * private address is acceptable is decided by the URL policy (local mode allows loopback).
 */
export const callbackUrl = httpUrl.optional();
