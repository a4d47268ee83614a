import { CHANNELS, type Channel } from '@herald/core';
import { z } from 'zod';
import { DEFAULT_DATA_DIR } from './defaults';
import { flagFromEnv, intFromEnv } from './parse-env';
import { linkSecretSchema, publicUrlSchema, twilioAuthTokenSchema } from './shared-env';
import { workerDirectPushFields } from './worker-direct-push-env';
import { pacingSchema, routeSchema, slackWebhooksSchema } from './worker-routing-env';

/** SMTP_URL as the worker and the local stack read it. */
export const smtpUrlSchema = z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL');

/** The route variable of each channel. */
export const ROUTE_VARIABLES = {
  email: 'HERALD_ROUTE_EMAIL',
  sms: 'HERALD_ROUTE_SMS',
  whatsapp: 'HERALD_ROUTE_WHATSAPP',
  push: 'HERALD_ROUTE_PUSH',
  slack: 'HERALD_ROUTE_SLACK',
} as const satisfies Record<Channel, string>;

const routes = Object.fromEntries(
  CHANNELS.map((channel) => [ROUTE_VARIABLES[channel], routeSchema(channel)]),
) as Record<(typeof ROUTE_VARIABLES)[Channel], ReturnType<typeof routeSchema>>;

/** The worker's delivery channels: provider credentials, routing and pacing. */
export const workerChannelFields = {
  SMTP_URL: smtpUrlSchema
    .optional()
    .describe(
      '`smtp://user:pass@host:587` or `smtps://…`; without it (and without the sandbox) email ends `channel_not_configured`',
    ),
  SMTP_MAX_CONNECTIONS: intFromEnv(5, 1, 100).describe('SMTP pool size'),
  EMAIL_FROM: z
    .string()
    .min(3)
    .optional()
    .describe('the sender, e.g. `Herald <noreply@example.com>`; required with `SMTP_URL`'),
  HERALD_MESSAGE_ID_DOMAIN: z
    .string()
    .min(1)
    .optional()
    .describe('right side of `Message-ID: <id@domain>`; default: the domain of `EMAIL_FROM`'),
  HERALD_RECEIPT_ADDRESS: z
    .email()
    .optional()
    .describe('where read receipts (`receipt: true`) go; default: `EMAIL_FROM`'),
  TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC\w{32}$/, 'must be a Twilio Account SID (AC…)')
    .optional()
    .describe('Twilio account (SMS and WhatsApp), with `TWILIO_AUTH_TOKEN`'),
  TWILIO_AUTH_TOKEN: twilioAuthTokenSchema,
  TWILIO_FROM: z.string().min(1).optional().describe('the SMS sender number'),
  TWILIO_WHATSAPP_FROM: z.string().min(1).optional().describe('the WhatsApp sender number'),
  TWILIO_MESSAGING_SERVICE_SID: z
    .string()
    .regex(/^MG\w{32}$/, 'must be a Messaging Service SID (MG…)')
    .optional()
    .describe('send through this Messaging Service instead of a sender number'),
  TWILIO_API_BASE_URL: z
    .url()
    .optional()
    .describe("Twilio's API base URL (tests and mocks); default: Twilio's"),
  HERALD_PUBLIC_URL: publicUrlSchema,
  HERALD_LINK_SECRET: linkSecretSchema,
  HERALD_RECEIPT_TIMEOUT_SECONDS: intFromEnv(86_400, 1).describe(
    'how long to wait for a delivery receipt',
  ),
  VAPID_PUBLIC_KEY: z
    .string()
    .min(1)
    .optional()
    .describe('web push VAPID public key (`herald vapid generate`), with `VAPID_PRIVATE_KEY`'),
  VAPID_PRIVATE_KEY: z.string().min(1).optional().describe('web push VAPID private key'),
  VAPID_SUBJECT: z
    .string()
    .regex(/^(mailto:|https:)/, 'must be a mailto: or https: URL')
    .default('mailto:herald@localhost')
    .describe('the VAPID contact push services see, a `mailto:` or `https:` URL'),
  HERALD_WEB_PUSH_CA_FILE: z
    .string()
    .min(1)
    .optional()
    .describe(
      'an extra CA certificate (PEM file) trusted for push services: private or test ones only',
    ),
  HERALD_SNS_PUSH: flagFromEnv('false').describe(
    'deliver mobile push (SNS platform endpoints) through Amazon SNS',
  ),
  HERALD_APNS_SANDBOX: flagFromEnv('false').describe(
    "the default APNs environment: Apple's sandbox for SNS's APNs payloads and for `apns` targets that name no `environment`",
  ),
  ...workerDirectPushFields,
  SLACK_WEBHOOKS: slackWebhooksSchema,
  ...routes,
  HERALD_ALLOW_SANDBOX: flagFromEnv('false').describe(
    'allow routing to `sandbox`, which writes to files instead of sending (local: `true`); without it a route to it refuses to start',
  ),
  HERALD_SANDBOX_DIR: z
    .string()
    .min(1)
    .default(`${DEFAULT_DATA_DIR}/outbox`)
    .describe('where the sandbox writes `<channel>.jsonl` (local: `<data dir>/outbox`)'),
  HERALD_PACING: pacingSchema,
  HERALD_MAX_PACING_WAIT_MS: intFromEnv(2_000, 0, 60_000).describe(
    'a paced send waits up to this long in-process; a longer wait hands it back to the queue',
  ),
  HERALD_CIRCUIT_FAILURES: intFromEnv(5, 1).describe(
    "consecutive transient failures that open a provider's circuit breaker",
  ),
  HERALD_CIRCUIT_COOLDOWN_MS: intFromEnv(30_000, 100).describe(
    'how long an open circuit waits before one trial call',
  ),
};
