import type { Channel, Logger, Provider } from '@herald/core';
import { createSmtpEmailProvider, createSmtpTransport } from '@herald/providers';
import { domainOf, type WorkerConfig } from './config';

/** The providers configured for this worker, by channel, and a way to close their connections. */
export function buildProviders(config: WorkerConfig, logger: Logger) {
  const providers: Partial<Record<Channel, Provider[]>> = {};
  const closers: (() => void)[] = [];
  if (config.SMTP_URL !== undefined && config.EMAIL_FROM !== undefined) {
    const transport = createSmtpTransport(config.SMTP_URL, {
      pool: true,
      maxConnections: config.SMTP_MAX_CONNECTIONS,
      connectionTimeoutMs: 10_000,
      socketTimeoutMs: config.HERALD_SEND_TIMEOUT_MS,
    });
    closers.push(() => transport.close());
    providers.email = [
      createSmtpEmailProvider({
        transport,
        from: config.EMAIL_FROM,
        messageIdDomain: config.HERALD_MESSAGE_ID_DOMAIN ?? domainOf(config.EMAIL_FROM),
        ...(config.HERALD_RECEIPT_ADDRESS ? { receiptAddress: config.HERALD_RECEIPT_ADDRESS } : {}),
      }) as Provider,
    ];
  }
  logger.info({ channels: Object.keys(providers) }, 'providers configured');
  return { providers, close: () => closers.forEach((close) => close()) };
}
