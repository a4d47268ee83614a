import type { PacingRule } from '@herald/core';
import { z } from 'zod';

/** The provider names the worker knows how to build. */
export const PROVIDER_NAMES = [
  'smtp',
  'twilio',
  'web-push',
  'sns',
  'apns',
  'fcm',
  'slack',
  'slack-bot',
  'sandbox',
] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

const isProviderName = (name: string): name is ProviderName =>
  (PROVIDER_NAMES as readonly string[]).includes(name);

const commaList = (raw: string): string[] =>
  raw
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);

/**
 * `HERALD_ROUTE_<CHANNEL>`: an ordered provider list (failover order). Unset stays `undefined`
 * (the worker then routes to every provider with credentials); empty is an empty route. An
 * unknown name is an issue on the variable. Sandbox routes are checked against
 * HERALD_ALLOW_SANDBOX by `sandboxRouteIssues`.
 */
export const routeSchema = (channel: string) =>
  z
    .string()
    .optional()
    .transform((raw, ctx): ProviderName[] | undefined => {
      if (raw === undefined) return undefined;
      const names = commaList(raw);
      const unknown = names.filter((name) => !isProviderName(name));
      for (const name of unknown) {
        ctx.issues.push({
          code: 'custom',
          input: raw,
          message: `unknown provider "${name}" (known: ${PROVIDER_NAMES.join(', ')})`,
        });
      }
      return unknown.length > 0 ? z.NEVER : names.filter(isProviderName);
    })
    .describe(
      `the ${channel} providers in failover order (${PROVIDER_NAMES.join(', ')}); default: every provider with credentials`,
    );

/** `twilio=1,sns=100` → token bucket rules (burst = one second's worth, at least 1). */
export const pacingSchema = z
  .string()
  .optional()
  .transform((raw, ctx): Record<string, PacingRule> => {
    const rules: Record<string, PacingRule> = {};
    for (const part of commaList(raw ?? '')) {
      const [name, rate] = part.split('=');
      const perSecond = Number(rate);
      if (!name || !Number.isFinite(perSecond) || perSecond <= 0) {
        ctx.issues.push({
          code: 'custom',
          input: raw,
          message: `"${part}" is not provider=messagesPerSecond`,
        });
        continue;
      }
      rules[name] = { ratePerSecond: perSecond, burst: Math.max(1, perSecond) };
    }
    return rules;
  })
  .describe(
    'messages per second per provider and worker process, e.g. `twilio=1,sns=100`; a send over it waits or is deferred',
  );

/** A JSON object of webhook name → URL. */
export const slackWebhooksSchema = z
  .string()
  .optional()
  .transform((raw, ctx): Record<string, string> => {
    if (raw === undefined) return {};
    try {
      const parsed = JSON.parse(raw) as unknown;
      if (
        typeof parsed === 'object' &&
        parsed !== null &&
        Object.values(parsed).every((v) => typeof v === 'string')
      ) {
        return parsed as Record<string, string>;
      }
    } catch {
      // reported below
    }
    ctx.issues.push({
      code: 'custom',
      input: raw,
      message: 'must be a JSON object of name → webhook URL',
    });
    return z.NEVER;
  })
  .describe(
    'named Slack webhooks, a JSON object of name → URL; a client may use a name only if its settings allow it (`herald client set <id> --allow-slack-webhooks name`)',
  );

/**
 * The issues for routes naming `sandbox` while HERALD_ALLOW_SANDBOX is not `true`: production
 * never silently fakes delivery. `routes` maps each route variable to its parsed value.
 */
export function sandboxRouteIssues(
  routes: Readonly<Record<string, readonly string[] | undefined>>,
  allowSandbox: unknown,
): { variable: string; message: string }[] {
  if (allowSandbox === 'true') return [];
  return Object.entries(routes)
    .filter(([, names]) => Array.isArray(names) && names.includes('sandbox'))
    .map(([variable]) => ({
      variable,
      message: 'routes to sandbox, which fakes delivery: set HERALD_ALLOW_SANDBOX=true to allow it',
    }));
}
