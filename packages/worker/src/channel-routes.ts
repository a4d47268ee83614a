import { ROUTE_VARIABLES, apnsConfigured, type ProviderName } from '@herald/config';
import { CHANNELS, type Channel } from '@herald/core';
import type { WorkerConfig } from './config';

/**
 * Each channel's ordered provider list: `HERALD_ROUTE_<CHANNEL>` when set (already checked by
 * the worker's schema: known names only, `sandbox` only with HERALD_ALLOW_SANDBOX=true), else
 * every provider that has credentials, in a sensible order.
 */
export function resolveRoutes(config: WorkerConfig): Record<Channel, ProviderName[]> {
  const defaults = defaultRoutes(config);
  const routes = {} as Record<Channel, ProviderName[]>;
  for (const channel of CHANNELS) {
    routes[channel] = config[ROUTE_VARIABLES[channel]] ?? defaults[channel];
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
  const fcm = config.FCM_SERVICE_ACCOUNT !== undefined;
  if (fcm) push.push('fcm');
  if (config.HERALD_SNS_PUSH === 'true') push.push('sns');
  const apns = apnsConfigured(config);
  if (apns) push.push('apns');
  // Mobile targets without their provider still reach the sandbox in local mode: the router
  // skips providers that do not handle a target, so web push targets never fall through to it.
  if (sandbox && (config.HERALD_SNS_PUSH !== 'true' || !apns || !fcm)) push.push('sandbox');
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
    // Webhook targets go to `slack`, conversation targets to `slack-bot` (each skips the other's).
    slack: config.SLACK_BOT_TOKEN !== undefined ? ['slack', 'slack-bot'] : ['slack'],
  };
}
