import { AppError, CHANNELS, type Channel, type PacingRule } from '@herald/core';
import type { WorkerConfig } from './config';

/** The provider names the worker knows how to build. */
export const PROVIDER_NAMES = ['smtp', 'twilio', 'web-push', 'sns', 'slack', 'sandbox'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

const ROUTE_VARIABLE: Record<Channel, keyof WorkerConfig> = {
  email: 'HERALD_ROUTE_EMAIL',
  sms: 'HERALD_ROUTE_SMS',
  whatsapp: 'HERALD_ROUTE_WHATSAPP',
  push: 'HERALD_ROUTE_PUSH',
  slack: 'HERALD_ROUTE_SLACK',
};

/**
 * Each channel's ordered provider list: `HERALD_ROUTE_<CHANNEL>` when set, else every provider
 * that has credentials, in a sensible order. Throws `CONFIG_INVALID` for an unknown name or for
 * `sandbox` without HERALD_ALLOW_SANDBOX=true, so production never silently fakes delivery.
 */
export function resolveRoutes(config: WorkerConfig): Record<Channel, ProviderName[]> {
  const defaults = defaultRoutes(config);
  const routes = {} as Record<Channel, ProviderName[]>;
  for (const channel of CHANNELS) {
    const raw = config[ROUTE_VARIABLE[channel]];
    const names =
      typeof raw === 'string'
        ? raw
            .split(',')
            .map((n) => n.trim())
            .filter(Boolean)
        : defaults[channel];
    for (const name of names) {
      if (!(PROVIDER_NAMES as readonly string[]).includes(name)) {
        throw new AppError(
          'CONFIG_INVALID',
          `${ROUTE_VARIABLE[channel]}: unknown provider "${name}" (known: ${PROVIDER_NAMES.join(', ')})`,
        );
      }
      if (name === 'sandbox' && config.HERALD_ALLOW_SANDBOX !== 'true') {
        throw new AppError(
          'CONFIG_INVALID',
          `${ROUTE_VARIABLE[channel]} routes to sandbox, which fakes delivery: set HERALD_ALLOW_SANDBOX=true to allow it`,
        );
      }
    }
    routes[channel] = names as ProviderName[];
  }
  return routes;
}

function defaultRoutes(config: WorkerConfig): Record<Channel, ProviderName[]> {
  const twilio = config.TWILIO_ACCOUNT_SID !== undefined && config.TWILIO_AUTH_TOKEN !== undefined;
  const sandbox = config.HERALD_ALLOW_SANDBOX === 'true';
  const orSandbox = (names: ProviderName[]): ProviderName[] =>
    names.length > 0 || !sandbox ? names : ['sandbox'];
  const push: ProviderName[] = [];
  if (config.VAPID_PUBLIC_KEY !== undefined && config.VAPID_PRIVATE_KEY !== undefined)
    push.push('web-push');
  if (config.HERALD_SNS_PUSH === 'true') push.push('sns');
  // Mobile targets without SNS still reach the sandbox in local mode: the router skips providers
  // that do not handle a target, so web push targets never fall through to it.
  if (sandbox && config.HERALD_SNS_PUSH !== 'true') push.push('sandbox');
  return {
    email: orSandbox(config.SMTP_URL !== undefined ? ['smtp'] : []),
    sms: orSandbox(
      twilio && (config.TWILIO_FROM || config.TWILIO_MESSAGING_SERVICE_SID) ? ['twilio'] : [],
    ),
    whatsapp: orSandbox(
      twilio && (config.TWILIO_WHATSAPP_FROM || config.TWILIO_MESSAGING_SERVICE_SID)
        ? ['twilio']
        : [],
    ),
    push,
    slack: ['slack'],
  };
}

/** `twilio=1,sns=100` → token bucket rules (burst = one second's worth, at least 1). */
export function parsePacing(raw: string | undefined): Record<string, PacingRule> {
  const rules: Record<string, PacingRule> = {};
  for (const part of (raw ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [name, rate] = part.split('=');
    const perSecond = Number(rate);
    if (!name || !Number.isFinite(perSecond) || perSecond <= 0) {
      throw new AppError(
        'CONFIG_INVALID',
        `HERALD_PACING: "${part}" is not provider=messagesPerSecond`,
      );
    }
    rules[name] = { ratePerSecond: perSecond, burst: Math.max(1, perSecond) };
  }
  return rules;
}
