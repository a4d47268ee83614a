import { z } from 'zod';
import { callbackUrl, e164, expiresAt, metadata, sendAt, critical } from './common';

export const smsNotificationSchema = z.strictObject({
  channel: z.literal('sms'),
  to: e164,
  body: z.string().min(1).max(1600),
  metadata,
  expiresAt,
  sendAt,
  critical,
  callbackUrl,
});

/** A pre-approved WhatsApp content template (Twilio Content API) and its variables. */
export const whatsappTemplateSchema = z.strictObject({
  contentSid: z.string().regex(/^HX[0-9a-fA-F]{32}$/, 'must be a Twilio Content SID (HX…)'),
  variables: z
    .record(z.string().regex(/^\w{1,32}$/), z.string().max(1024))
    .refine((v) => Object.keys(v).length <= 100, 'must have at most 100 variables')
    .optional(),
});

export const whatsappNotificationSchema = z
  .strictObject({
    channel: z.literal('whatsapp'),
    to: e164,
    body: z.string().min(1).max(4096).optional(),
    template: whatsappTemplateSchema.optional(),
    metadata,
    expiresAt,
    sendAt,
    critical,
    callbackUrl,
  })
  .refine((n) => (n.body === undefined) !== (n.template === undefined), {
    message: 'exactly one of body or template is required',
    path: ['body'],
  });

export type SmsNotificationRequest = z.infer<typeof smsNotificationSchema>;
export type WhatsappNotificationRequest = z.infer<typeof whatsappNotificationSchema>;
