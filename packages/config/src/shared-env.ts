import { z } from 'zod';
import { flagFromEnv, intFromEnv } from './parse-env';

/*
 * Variables the api and the worker both read, defined once so that both read them alike (and the
 * configuration reference shows one row for both).
 */

/** HERALD_SWEEP_AFTER_SECONDS: when the sweeper re-enqueues a notification; the api and the worker must agree. */
export const sweepAfterSecondsSchema = intFromEnv(60, 1).describe(
  'when an untouched `Pending` notification is re-enqueued (local: `10`)',
);

/** HERALD_PUBLIC_URL: where Twilio sends delivery receipts and unsubscribe links point. */
export const publicUrlSchema = z
  .url()
  .optional()
  .describe(
    "the api's public base URL; enables Twilio delivery receipts (with `TWILIO_AUTH_TOKEN` on the api) and, with `HERALD_LINK_SECRET`, unsubscribe links in topic emails (local: the api's own address)",
  );

/**
 * True when `value` is hex (an even number of digits) or base64 (either alphabet) of at least 32
 * bytes: the rule `@herald/guards` `decodeLinkSecret` applies when it derives the link key.
 */
function isLinkSecret(value: string): boolean {
  const s = value.trim();
  if (/^(?:[0-9a-fA-F]{2})+$/.test(s)) return s.length / 2 >= 32;
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(s)) return false;
  const digits = s.replace(/=+$/, '').length;
  return digits % 4 !== 1 && Math.floor((digits * 3) / 4) >= 32;
}

/** HERALD_LINK_SECRET: the api checks the unsubscribe links the worker signs. */
export const linkSecretSchema = z
  .string()
  .refine(isLinkSecret, 'must be hex or base64 of at least 32 bytes (`openssl rand -base64 32`)')
  .optional()
  .describe(
    'signs unsubscribe links (hex or base64, ≥ 32 bytes; the same on api and worker); without it topic emails carry no `List-Unsubscribe` and the unsubscribe routes answer 404 (local: generated)',
  );

/** HERALD_LOCAL_MODE: the URL guard's local relaxations. */
export const localModeSchema = flagFromEnv('false').describe(
  'allow http, loopback and any port for callbacks, webhooks and push services (local: `true`)',
);

/** HERALD_DNS_TIMEOUT_MS: the URL guard's name lookups. */
export const dnsTimeoutMsSchema = intFromEnv(2_000, 100, 30_000).describe(
  'a name lookup for a callback, webhook or push endpoint host gives up after this',
);

/** HERALD_CLIENT_SETTINGS_CACHE_SECONDS: the client settings cache's lifetime. */
export const clientSettingsCacheSecondsSchema = intFromEnv(30, 0, 30).describe(
  'how long client settings (`herald client set`) are reused before they are read again',
);

/** TWILIO_AUTH_TOKEN: the worker sends with it, the api checks receipt signatures with it. */
export const twilioAuthTokenSchema = z
  .string()
  .min(1)
  .optional()
  .describe(
    'Twilio credentials: the worker sends SMS and WhatsApp with them, the api checks delivery receipts (`X-Twilio-Signature`)',
  );

/** HERALD_CALLBACK_SECRET: the worker signs callbacks, the CLI prints a client's secret. */
export const callbackSecretSchema = z
  .string()
  .min(32, 'must be at least 32 characters')
  .optional()
  .describe(
    "master secret (≥ 32 characters) from which each client's callback signing secret is derived",
  );

/** PORT: the api's, whether started alone or by `pnpm start`. */
export const apiPortSchema = intFromEnv(3000, 0, 65_535).describe("the api's listen port");

/**
 * The per-number caps (HERALD_RECIPIENT_CAP*): counted in the table, so the api (direct sends) and
 * the worker (topic children) must apply the same limits.
 */
export const recipientCapShape = {
  HERALD_RECIPIENT_CAP: intFromEnv(10, 0).describe(
    "SMS / WhatsApp messages from one client to one number per window, shared by every api instance and worker (topic children count too) (a client's settings can override it); `0` disables",
  ),
  HERALD_RECIPIENT_CAP_WINDOW_SECONDS: intFromEnv(3600, 0).describe(
    'the window of `HERALD_RECIPIENT_CAP`, in seconds (fixed windows aligned on multiples of it); `0` disables the cap',
  ),
  HERALD_RECIPIENT_CAP_ALL_CLIENTS: z.coerce
    .number()
    .int()
    .min(1)
    .optional()
    .describe(
      "the same from all clients together (default: 10 × `HERALD_RECIPIENT_CAP`); a client's `--recipient-cap` overrides only its own",
    ),
};
