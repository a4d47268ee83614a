import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AwsClients } from '@herald/aws';
import type { ProviderName } from '@herald/config';
import {
  AppError,
  CHANNELS,
  type Channel,
  type ClientSettingsReader,
  type Logger,
  type NotificationRequest,
  type Provider,
} from '@herald/core';
import { createDnsLookup, createGuardedAgent, createUrlGuard, type UrlGuard } from '@herald/guards';
import {
  createSandboxProvider,
  createSlackProvider,
  createSmtpEmailProvider,
  createSmtpTransport,
  createSnsPushProvider,
  createTwilioClient,
  createTwilioProvider,
  createWebPushProvider,
  createWebPushSender,
} from '@herald/providers';
import { domainOf, type WorkerConfig } from './config';
import { buildApnsProvider } from './apns-provider';
import { resolveRoutes } from './channel-routes';
import { fcmProvider, slackBotProvider } from './direct-providers';
import { scopeNamedWebhooks } from './webhook-scope';

/** The configured providers by channel, in failover order, and how to close their connections. */
export interface BuiltProviders {
  providers: Partial<Record<Channel, Provider[]>>;
  close(): void;
}

/**
 * Builds each channel's provider list from the configuration (see `resolveRoutes`). A route
 * naming a provider without its credentials is a `CONFIG_INVALID` at start, never a surprise at
 * send time.
 */
export function buildProviders(
  config: WorkerConfig,
  deps: { sns: AwsClients['sns']; logger: Logger; clientSettings: ClientSettingsReader },
): BuiltProviders {
  const routes = resolveRoutes(config);
  const guard = workerUrlGuard(config);
  const closers: (() => void)[] = [];
  const cache = new Map<string, Provider>();
  const build = (name: ProviderName, channel: Channel): Provider => {
    const key = `${name}:${channel}`;
    let provider = cache.get(key);
    if (!provider) cache.set(key, (provider = create(name, channel)));
    return provider;
  };

  function create(name: ProviderName, channel: Channel): Provider {
    switch (name) {
      case 'smtp':
        return smtp(config, closers);
      case 'twilio':
        return twilio(config, channel);
      case 'web-push':
        return only(
          webPush(config, guard, deps.logger, closers),
          (r) => r.channel === 'push' && 'webPush' in r.to,
        );
      case 'sns':
        return only(
          createSnsPushProvider({
            sns: deps.sns,
            apnsSandbox: config.HERALD_APNS_SANDBOX === 'true',
            logger: deps.logger,
          }),
          (r) => r.channel === 'push' && 'snsEndpointArn' in r.to,
        );
      case 'apns':
        return buildApnsProvider(config, deps.logger, closers);
      case 'fcm':
        return fcmProvider(config, deps.logger);
      case 'slack-bot':
        return slackBotProvider(config, deps.logger);
      case 'slack': {
        const agent = createGuardedAgent(guard);
        closers.push(() => agent.destroy());
        return only(
          scopeNamedWebhooks(
            createSlackProvider({
              webhooks: config.SLACK_WEBHOOKS,
              agent,
              // The agent checks the addresses as it connects; resolving here too would be wasted.
              urlGuard: (url) => Promise.resolve(guard.parse(url, 'to.webhookUrl')),
            }),
            deps.clientSettings,
          ),
          (r) => r.channel === 'slack' && !('conversation' in r.to),
        );
      }
      case 'sandbox':
        return createSandboxProvider({
          channel,
          outboxDir: path.resolve(config.HERALD_SANDBOX_DIR),
          // Web push stays real wherever VAPID keys exist: the sandbox only stands in for mobile
          // push, and only for target kinds no real provider on the route takes.
          ...(channel === 'push'
            ? { supports: (r: NotificationRequest) => sandboxTakes(r, routes.push) }
            : {}),
        });
    }
  }

  const providers: Partial<Record<Channel, Provider[]>> = {};
  for (const channel of CHANNELS) {
    const list = routes[channel].map((name) => build(name, channel));
    if (list.length > 0) providers[channel] = list;
  }
  deps.logger.info({ routes }, 'providers configured');
  return { providers, close: () => closers.forEach((close) => close()) };
}

/**
 * The SSRF guard for every client-named URL the worker calls (push endpoints, Slack webhooks,
 * callbacks): loopback, http and any port only in local mode; names resolved through c-ares with
 * HERALD_DNS_TIMEOUT_MS.
 */
export function workerUrlGuard(config: WorkerConfig): UrlGuard {
  const local = config.HERALD_LOCAL_MODE === 'true';
  return createUrlGuard({
    allowLoopback: local,
    allowHttp: local,
    lookup: createDnsLookup({ timeoutMs: config.HERALD_DNS_TIMEOUT_MS }),
  });
}

/** Mobile targets whose real provider is not on the push route go to the sandbox. */
function sandboxTakes(request: NotificationRequest, route: readonly ProviderName[]): boolean {
  if (request.channel !== 'push') return false;
  if ('snsEndpointArn' in request.to) return !route.includes('sns');
  if ('apns' in request.to) return !route.includes('apns');
  if ('fcm' in request.to) return !route.includes('fcm');
  return false;
}

/** Lets the router skip a provider for targets it cannot reach (web vs mobile push, webhook vs bot). */
function only(provider: Provider, supports: (request: NotificationRequest) => boolean): Provider {
  return {
    channel: provider.channel,
    name: provider.name,
    supports,
    send: (m, signal) => provider.send(m, signal),
  };
}

function smtp(config: WorkerConfig, closers: (() => void)[]): Provider {
  if (config.SMTP_URL === undefined || config.EMAIL_FROM === undefined) {
    throw new AppError('CONFIG_INVALID', 'the smtp provider needs SMTP_URL and EMAIL_FROM');
  }
  const transport = createSmtpTransport(config.SMTP_URL, {
    pool: true,
    maxConnections: config.SMTP_MAX_CONNECTIONS,
    connectionTimeoutMs: 10_000,
    socketTimeoutMs: config.HERALD_SEND_TIMEOUT_MS,
    // Credentials over smtp:// need STARTTLS, except for the local mail sink (no TLS).
    allowPlainAuth: config.HERALD_LOCAL_MODE === 'true',
  });
  closers.push(() => transport.close());
  return createSmtpEmailProvider({
    transport,
    // Sends wait for one of the pool's connections here, and the send timeout starts once held.
    maxConcurrentSends: config.SMTP_MAX_CONNECTIONS,
    sendTimeoutMs: config.HERALD_SEND_TIMEOUT_MS,
    from: config.EMAIL_FROM,
    messageIdDomain: config.HERALD_MESSAGE_ID_DOMAIN ?? domainOf(config.EMAIL_FROM),
    ...(config.HERALD_RECEIPT_ADDRESS ? { receiptAddress: config.HERALD_RECEIPT_ADDRESS } : {}),
  });
}

function twilio(config: WorkerConfig, channel: Channel): Provider {
  if (config.TWILIO_ACCOUNT_SID === undefined || config.TWILIO_AUTH_TOKEN === undefined) {
    throw new AppError(
      'CONFIG_INVALID',
      'the twilio provider needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN',
    );
  }
  if (channel !== 'sms' && channel !== 'whatsapp')
    throw new AppError('CONFIG_INVALID', `twilio cannot send ${channel}`);
  const from = channel === 'sms' ? config.TWILIO_FROM : config.TWILIO_WHATSAPP_FROM;
  const messages = createTwilioClient({
    accountSid: config.TWILIO_ACCOUNT_SID,
    authToken: config.TWILIO_AUTH_TOKEN,
    ...(config.TWILIO_API_BASE_URL ? { apiBaseUrl: config.TWILIO_API_BASE_URL } : {}),
  });
  const publicUrl = config.HERALD_PUBLIC_URL?.replace(/\/+$/, '');
  return createTwilioProvider({
    messages,
    channel,
    ...(from ? { from } : {}),
    ...(config.TWILIO_MESSAGING_SERVICE_SID
      ? { messagingServiceSid: config.TWILIO_MESSAGING_SERVICE_SID }
      : {}),
    ...(publicUrl
      ? {
          statusCallbackUrl: (id: string) =>
            `${publicUrl}/v1/providers/twilio/status?notificationId=${id}`,
        }
      : {}),
  });
}

function webPush(
  config: WorkerConfig,
  guard: UrlGuard,
  logger: Logger,
  closers: (() => void)[],
): Provider {
  if (config.VAPID_PUBLIC_KEY === undefined || config.VAPID_PRIVATE_KEY === undefined) {
    throw new AppError(
      'CONFIG_INVALID',
      'the web-push provider needs VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY',
    );
  }
  const ca = config.HERALD_WEB_PUSH_CA_FILE
    ? readFileSync(config.HERALD_WEB_PUSH_CA_FILE, 'utf8')
    : undefined;
  // web-push resolves the endpoint's host itself: only the guarded agent pins what it checked.
  const agent = createGuardedAgent(guard, ca ? { ca } : {});
  closers.push(() => agent.destroy());
  return createWebPushProvider({
    sender: createWebPushSender(),
    vapid: {
      subject: config.VAPID_SUBJECT,
      publicKey: config.VAPID_PUBLIC_KEY,
      privateKey: config.VAPID_PRIVATE_KEY,
    },
    requestTimeoutMs: config.HERALD_SEND_TIMEOUT_MS,
    logger,
    agent: agent.https,
  });
}
