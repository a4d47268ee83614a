import { z } from 'zod';
import { e164, emailAddress, headerSafeText } from '../schemas/common';
import { slackWebhookName } from '../schemas/slack';

/** Slack: a user id for a DM through the bot token, or a webhook configured on the worker. */
const slackAddressSchema = z.union([
  z.strictObject({
    userId: z.string().regex(/^[UW][A-Z0-9]{2,31}$/, 'must be a Slack user id (U… or W…)'),
  }),
  z.strictObject({ webhook: slackWebhookName }),
]);

/** A BCP 47 language tag that `Intl` accepts (`en`, `nb-NO`, `zh-Hant-TW`). */
const locale = z
  .string()
  .max(35)
  .refine(isLocale, 'must be a BCP 47 language tag such as en or nb-NO');

/** An IANA time zone that `Intl` knows (`Europe/Oslo`, `UTC`). */
export const timezoneSchema = z
  .string()
  .max(64)
  .refine(isTimeZone, 'must be an IANA time zone such as Europe/Oslo');

/**
 * The body of `PUT /v1/recipients/:recipientId`: how a recipient is reached, every field
 * optional (a recipient may be reachable by its devices only). Strict: an unknown field is a
 * `400`, so a typo never silently drops an address. A PUT replaces the whole profile.
 */
export const recipientProfileSchema = z.strictObject({
  email: emailAddress.optional(),
  phone: e164.optional(),
  whatsapp: e164.optional(),
  slack: slackAddressSchema.optional(),
  /** May end up in a mail header, so no line breaks. */
  name: headerSafeText(256).pipe(z.string().min(1)).optional(),
  locale: locale.optional(),
  timezone: timezoneSchema.optional(),
});

/** A recipient's profile, as validated by {@link recipientProfileSchema}. */
export type RecipientProfile = z.infer<typeof recipientProfileSchema>;

function isLocale(value: string): boolean {
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
}

function isTimeZone(value: string): boolean {
  if (value === '') return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
