import type { NotificationRequest } from './schemas/notification-request';

/**
 * The circuit breaker key for one provider call. A destination the client chose (a web push
 * endpoint, a Slack webhook URL) gets its own circuit, keyed by provider, client and the URL's
 * origin (scheme://host[:port]): one client's failing server must never stop other clients'
 * deliveries, even to the same origin (web push endpoints of every client share a few push
 * services, and a client can make its own endpoints there fail).
 * A Slack conversation the bot posts to is keyed by provider, client and conversation id.
 * Operator-run destinations (SMTP, Twilio, SNS, FCM, a named Slack webhook) share one circuit per
 * provider, as a provider outage affects everyone.
 */
export function breakerKeyOf(
  provider: string,
  clientId: string,
  request: NotificationRequest,
): string {
  // Slack rate-limits each conversation on its own: one client flooding a channel must not open
  // the bot's circuit for every other conversation.
  if (request.channel === 'slack' && 'conversation' in request.to)
    return `${provider} ${clientId} conversation ${request.to.conversation}`;
  const url = clientChosenUrl(request);
  if (url === undefined) return provider;
  try {
    return `${provider} ${clientId} ${new URL(url).origin}`;
  } catch {
    // Not reachable for validated requests; a malformed URL still must not share a circuit.
    return `${provider} ${clientId} ${url}`;
  }
}

function clientChosenUrl(request: NotificationRequest): string | undefined {
  if (request.channel === 'push' && 'webPush' in request.to) return request.to.webPush.endpoint;
  if (request.channel === 'slack' && 'webhookUrl' in request.to) return request.to.webhookUrl;
  return undefined;
}
