import { z } from 'zod';

/** Apple's key ids and team ids: 10 upper-case letters and digits. */
const appleId = z.string().regex(/^[A-Z0-9]{10}$/, 'must be 10 upper-case letters and digits');

/** The direct APNs provider's settings (token-based authentication with a `.p8` key). */
export const workerApnsFields = {
  APNS_KEY_ID: appleId
    .optional()
    .describe(
      'APNs signing key id (direct `apns` provider); with `APNS_TEAM_ID`, `APNS_PRIVATE_KEY` and `APNS_BUNDLE_ID`, all or none',
    ),
  APNS_TEAM_ID: appleId.optional().describe('the Apple developer team id that owns the key'),
  APNS_PRIVATE_KEY: z
    .string()
    .min(1)
    .optional()
    .describe('the `.p8` signing key: its PEM text, or a path to the file (checked at start)'),
  APNS_BUNDLE_ID: z
    .string()
    .regex(/^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$/, 'must be a bundle id such as com.example.app')
    .optional()
    .describe("`apns-topic` for targets that name no `bundleId`: the app's bundle id"),
  APNS_HOST: z
    .url({ protocol: /^https$/, message: 'must be an https URL' })
    .optional()
    .describe(
      "an origin that replaces Apple's production and sandbox hosts (tests and stand-ins only)",
    ),
  HERALD_APNS_CA_FILE: z
    .string()
    .min(1)
    .optional()
    .describe('an extra CA certificate (PEM file) trusted for `APNS_HOST`: test stand-ins only'),
};

const ALL_OR_NONE = ['APNS_KEY_ID', 'APNS_TEAM_ID', 'APNS_PRIVATE_KEY', 'APNS_BUNDLE_ID'] as const;

/**
 * The APNs credentials are all set or all unset: a partial set is a typo or a half-finished
 * deployment, reported at start (one issue per missing variable) rather than a provider that
 * silently is not there.
 */
export function apnsIssues(
  c: Partial<Record<(typeof ALL_OR_NONE)[number], string>>,
): { variable: string; message: string }[] {
  const set = ALL_OR_NONE.filter((name) => c[name] !== undefined);
  if (set.length === 0 || set.length === ALL_OR_NONE.length) return [];
  return ALL_OR_NONE.filter((name) => c[name] === undefined).map((variable) => ({
    variable,
    message: `${variable} is required when ${set.join(', ')} ${set.length === 1 ? 'is' : 'are'} set (APNs needs all four)`,
  }));
}

/** Whether the direct APNs provider has its credentials. */
export function apnsConfigured(c: Partial<Record<(typeof ALL_OR_NONE)[number], string>>): boolean {
  return ALL_OR_NONE.every((name) => c[name] !== undefined);
}
