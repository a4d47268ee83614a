import { z } from 'zod';

/** The APNs environments: which Apple host a device token belongs to. */
export const APNS_ENVIRONMENTS = ['production', 'sandbox'] as const;
export type ApnsEnvironment = (typeof APNS_ENVIRONMENTS)[number];

/**
 * An iOS/macOS device addressed directly through APNs: the token the app got from
 * `registerForRemoteNotifications` (hex; 32 bytes today, and Apple says the length may grow), the
 * app's bundle id when it is not the operator's `APNS_BUNDLE_ID`, and the environment the token
 * was issued for (a debug build's token only works on the sandbox host); without it the worker's
 * default (`HERALD_APNS_SANDBOX`) applies.
 */
export const apnsTargetSchema = z.strictObject({
  apns: z.strictObject({
    token: z
      .string()
      .regex(/^(?:[0-9a-fA-F]{2}){32,100}$/, 'must be a hex APNs device token (64+ characters)'),
    bundleId: z
      .string()
      .max(155)
      .regex(/^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$/, 'must be a bundle id such as com.example.app')
      .optional(),
    environment: z.enum(APNS_ENVIRONMENTS).optional(),
  }),
});

export type ApnsTarget = z.infer<typeof apnsTargetSchema>;
