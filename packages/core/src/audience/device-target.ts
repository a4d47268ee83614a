import { createHash } from 'node:crypto';
import { z } from 'zod';
import { apnsTargetSchema } from '../schemas/apns-target';
import { fcmTargetSchema, snsEndpointArn, webPushSubscriptionSchema } from '../schemas/push';

// The same schemas as a push notification's `to`: a device is stored in the shape it is sent to.
const TARGET_SCHEMAS = {
  webPush: z.strictObject({ webPush: webPushSubscriptionSchema }),
  apns: apnsTargetSchema,
  fcm: z.strictObject({ fcm: fcmTargetSchema }),
  snsEndpointArn: z.strictObject({ snsEndpointArn }),
};

/** The kinds of device target: the one key a target object has. */
export const DEVICE_TARGET_KINDS = Object.keys(TARGET_SCHEMAS) as (keyof typeof TARGET_SCHEMAS)[];

/**
 * One device of a recipient, in the shape of a push target (one shape everywhere): a browser's
 * web push subscription, an APNs device (its environment picks the production or sandbox host),
 * an FCM registration token, or an Amazon SNS platform endpoint. Strict: one key, nothing else.
 */
export const deviceTargetSchema = z.union([
  TARGET_SCHEMAS.webPush,
  TARGET_SCHEMAS.apns,
  TARGET_SCHEMAS.fcm,
  TARGET_SCHEMAS.snsEndpointArn,
]);

/**
 * The schema of the one kind `input` names (an object with exactly one key of
 * {@link DEVICE_TARGET_KINDS}), so its problems can be reported field by field; `undefined`
 * when it names none or several.
 */
export function deviceTargetSchemaFor(input: unknown): z.ZodType<DeviceTarget> | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
  const kinds = DEVICE_TARGET_KINDS.filter((kind) => Object.hasOwn(input, kind));
  return kinds.length === 1 && kinds[0] ? TARGET_SCHEMAS[kinds[0]] : undefined;
}

/** A device target, as validated by {@link deviceTargetSchema}. */
export type DeviceTarget = z.infer<typeof deviceTargetSchema>;

const DEVICE_ID_PATTERN = /^dev_[0-9a-z]{26}$/;

/**
 * The device id of a target, derived from what identifies the device to its push service (the
 * web push endpoint, the APNs or FCM token, the SNS endpoint), so registering the same device
 * twice is one device; a change of its other details (APNs environment, web push keys) replaces
 * them. A hash: the id reveals nothing of the token.
 */
export function deviceIdOf(target: DeviceTarget): string {
  const digest = createHash('sha256').update(identityOf(target)).digest();
  return `dev_${BigInt(`0x${digest.toString('hex')}`)
    .toString(36)
    .padStart(26, '0')
    .slice(0, 26)}`;
}

/** True when `value` has the form of a device id (`dev_` + 26 base36 characters). */
export function isDeviceId(value: string): boolean {
  return DEVICE_ID_PATTERN.test(value);
}

function identityOf(target: DeviceTarget): string {
  if ('webPush' in target) return `webpush\u0000${target.webPush.endpoint}`;
  // APNs tokens are hex: case does not name another device.
  if ('apns' in target) return `apns\u0000${target.apns.token.toLowerCase()}`;
  if ('fcm' in target) return `fcm\u0000${target.fcm.token}`;
  return `sns\u0000${target.snsEndpointArn}`;
}
