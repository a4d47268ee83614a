import { ProviderError, type ClientSettingsReader, type Provider } from '@herald/core';

/**
 * Wraps the Slack provider so a named webhook (`to.webhook`) is sent to only while the sending
 * client's settings allow it: the api checked at accept, but settings may have changed since.
 * Otherwise the send fails for good with reason `webhook_not_allowed`, before the name is even
 * looked up, so the answer never tells whether the name exists. Webhook URLs pass through. A
 * settings read that fails is retryable (`provider_unavailable`).
 */
export function scopeNamedWebhooks(provider: Provider, settings: ClientSettingsReader): Provider {
  return {
    channel: provider.channel,
    name: provider.name,
    ...(provider.supports ? { supports: (r) => provider.supports?.(r) ?? true } : {}),
    async send(message, signal) {
      const { request, clientId } = message;
      if (request.channel === 'slack' && 'webhook' in request.to) {
        const allowed = await isAllowed(provider.name, settings, clientId, request.to.webhook);
        if (!allowed) {
          throw new ProviderError(
            provider.name,
            false,
            'This client may not use that Slack webhook',
            { reasonCode: 'webhook_not_allowed' },
          );
        }
      }
      return provider.send(message, signal);
    },
  };
}

async function isAllowed(
  name: string,
  settings: ClientSettingsReader,
  clientId: string | undefined,
  webhook: string,
): Promise<boolean> {
  if (clientId === undefined) return false;
  try {
    return (await settings.get(clientId))?.allowedSlackWebhooks.includes(webhook) === true;
  } catch (cause) {
    // Whatever went wrong, the settings may read fine later: never refuse for good on it.
    throw new ProviderError(name, true, 'Client settings could not be read', {
      cause,
      reasonCode: 'provider_unavailable',
    });
  }
}
