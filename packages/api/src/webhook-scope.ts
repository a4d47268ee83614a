import { AppError, type ClientSettings, type NotificationRequest } from '@herald/core';

const NOT_ALLOWED = 'is not a webhook this client may use';

/**
 * Refuses a Slack notification to a named webhook (`to.webhook`) the client's settings do not
 * allow (`allowedSlackWebhooks`), with `VALIDATION_FAILED` (400). The answer is the same whether
 * or not a webhook of that name exists, so names cannot be probed: the api does not even know the
 * worker's list. A client without settings may use none. Webhook URLs are not affected.
 */
export function assertWebhookAllowed(
  request: NotificationRequest,
  settings: ClientSettings | undefined,
): void {
  if (request.channel !== 'slack' || !('webhook' in request.to)) return;
  if (settings?.allowedSlackWebhooks.includes(request.to.webhook) === true) return;
  throw new AppError('VALIDATION_FAILED', `to.webhook ${NOT_ALLOWED}`, {
    details: [{ path: 'to.webhook', message: NOT_ALLOWED }],
  });
}
