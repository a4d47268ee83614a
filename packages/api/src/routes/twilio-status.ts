import { AppError, isNotificationId, type ReceiptInput } from '@herald/core';
import express, { type RequestHandler } from 'express';

/** What the Twilio receipt route needs; `@herald/guards` supplies the Twilio-specific parts. */
export interface TwilioReceiptDeps {
  /** Herald's public base URL, exactly as Twilio calls it (the signature covers the full URL). */
  publicUrl: string;
  /** Checks `X-Twilio-Signature` over the URL and the form parameters. */
  verifySignature: (url: string, params: Record<string, string>, signature: string) => boolean;
  /** Twilio's MessageStatus (+ ErrorCode) → a receipt outcome and, for failures, a reason. */
  interpret: (
    status: string,
    errorCode: string | undefined,
  ) => Pick<ReceiptInput, 'outcome' | 'reason'>;
  recordReceipt: (input: ReceiptInput) => Promise<boolean>;
}

/**
 * `POST /v1/providers/twilio/status?notificationId=…`: Twilio's StatusCallback. Requests without
 * a valid `X-Twilio-Signature` are rejected with 403 and change nothing. Receipts only ever move
 * a notification forward; a duplicate or late one is acknowledged (204) and ignored, so Twilio
 * never retries it.
 */
export function twilioStatus(deps: TwilioReceiptDeps): RequestHandler[] {
  const base = deps.publicUrl.replace(/\/+$/, '');
  return [
    express.urlencoded({
      extended: false,
      limit: '64kb',
      type: 'application/x-www-form-urlencoded',
    }),
    async (req, res) => {
      const signature = req.get('x-twilio-signature');
      const params = formParams(req.body);
      if (
        signature === undefined ||
        !deps.verifySignature(`${base}${req.originalUrl}`, params, signature)
      ) {
        throw new AppError('FORBIDDEN', 'X-Twilio-Signature is missing or does not match');
      }
      const notificationId =
        typeof req.query.notificationId === 'string' ? req.query.notificationId : '';
      const { MessageSid: sid, MessageStatus: status } = params;
      if (!isNotificationId(notificationId) || !sid || !status) {
        throw new AppError(
          'VALIDATION_FAILED',
          'notificationId, MessageSid and MessageStatus are required',
        );
      }
      await deps.recordReceipt({
        notificationId,
        provider: 'twilio',
        providerMessageId: sid,
        providerStatus: status,
        ...deps.interpret(status, params.ErrorCode),
      });
      res.status(204).end();
    },
  ];
}

function formParams(body: unknown): Record<string, string> {
  const params: Record<string, string> = {};
  if (typeof body !== 'object' || body === null) return params;
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (typeof value === 'string') params[key] = value;
  }
  return params;
}
