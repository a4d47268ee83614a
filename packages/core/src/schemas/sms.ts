import { z } from 'zod';
import { e164, expiresAt, metadata } from './common';

export const smsNotificationSchema = z.strictObject({
  channel: z.literal('sms'),
  to: e164,
  body: z.string().min(1).max(1600),
  metadata,
  expiresAt,
});

export const whatsappNotificationSchema = z.strictObject({
  channel: z.literal('whatsapp'),
  to: e164,
  body: z.string().min(1).max(4096),
  metadata,
  expiresAt,
});

export type SmsNotificationRequest = z.infer<typeof smsNotificationSchema>;
export type WhatsappNotificationRequest = z.infer<typeof whatsappNotificationSchema>;
