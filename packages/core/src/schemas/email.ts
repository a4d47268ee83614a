import { z } from 'zod';
import {
  callbackUrl,
  emailAddress,
  expiresAt,
  sendAt,
  headerSafeText,
  metadata,
  critical,
} from './common';

const recipients = z.union([emailAddress, z.array(emailAddress).min(1).max(50)]);

export const emailNotificationSchema = z
  .strictObject({
    channel: z.literal('email'),
    to: recipients,
    cc: recipients.optional(),
    bcc: recipients.optional(),
    replyTo: emailAddress.optional(),
    subject: headerSafeText(998).optional(),
    text: z.string().max(200_000).optional(),
    html: z.string().max(200_000).optional(),
    receipt: z.boolean().optional(),
    metadata,
    expiresAt,
    sendAt,
    critical,
    callbackUrl,
  })
  .refine((n) => n.text !== undefined || n.html !== undefined, {
    message: 'text or html is required',
    path: ['text'],
  })
  .refine((n) => countRecipients(n) <= 50, {
    message: 'at most 50 recipients in to, cc and bcc together',
    path: ['to'],
  });

function countRecipients(n: {
  to: string | string[];
  cc?: string | string[];
  bcc?: string | string[];
}) {
  const count = (r?: string | string[]) => (r === undefined ? 0 : Array.isArray(r) ? r.length : 1);
  return count(n.to) + count(n.cc) + count(n.bcc);
}

export type EmailNotificationRequest = z.infer<typeof emailNotificationSchema>;
