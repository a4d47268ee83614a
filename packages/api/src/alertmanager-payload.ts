import { z } from 'zod';

/** Label and annotation sets: names to values, as Alertmanager sends them. */
const labelSet = z.record(z.string().max(1024), z.string().max(16_384));

/** An RFC 3339 time; Alertmanager sends nanoseconds and, for firing alerts, a zero `endsAt`. */
const time = z.iso.datetime({ offset: true });

/** One alert of a group. Fields Alertmanager may add later are dropped, not refused. */
const alertSchema = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: labelSet,
  annotations: labelSet.default({}),
  startsAt: time,
  endsAt: time.optional(),
  generatorURL: z.string().max(8192).default(''),
  fingerprint: z.string().min(1).max(128),
});

/**
 * Prometheus Alertmanager's webhook payload, version 4: one notification of one alert group.
 * Strict enough that anything else (another version, a missing group key, an alert without a
 * fingerprint) is a `400` listing every problem, yet fields a newer Alertmanager adds are
 * tolerated and dropped (`z.object`, not `z.strictObject`). Its size is bounded by the api's
 * body limit (256 KiB); Alertmanager's `max_alerts` keeps a large group under it.
 */
export const alertmanagerPayloadSchema = z.object({
  version: z.literal('4', { message: 'must be "4" (Alertmanager webhook payload version 4)' }),
  groupKey: z.string().min(1).max(16_384),
  truncatedAlerts: z.number().int().min(0).default(0),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string().max(1024),
  groupLabels: labelSet,
  commonLabels: labelSet,
  commonAnnotations: labelSet.default({}),
  externalURL: z.string().max(8192).default(''),
  alerts: z.array(alertSchema).min(1).max(10_000),
});

export type AlertmanagerPayload = z.infer<typeof alertmanagerPayloadSchema>;
export type AlertmanagerAlert = AlertmanagerPayload['alerts'][number];

/** The query of `POST /v1/topics/:topicId/alertmanager` (on the URL in Alertmanager's config). */
export const alertmanagerQuerySchema = z.strictObject({
  /** How long the same group state counts as one send; keep it below `repeat_interval`. */
  dedupWindowSeconds: z.coerce.number().int().min(10).max(86_400).default(300),
  /** `true`: the send bypasses recipients' quiet hours (never an opt-out). */
  critical: z.enum(['true', 'false']).optional(),
});

export type AlertmanagerQuery = z.infer<typeof alertmanagerQuerySchema>;
