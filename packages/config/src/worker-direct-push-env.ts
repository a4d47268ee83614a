import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** The fields of a Google service account key file that FCM's HTTP v1 API needs. */
const serviceAccountShape = z.object({
  project_id: z.string().regex(/^[a-z0-9][a-z0-9:.-]{0,99}$/, 'must be a Firebase project id'),
  client_email: z.email(),
  private_key: z
    .string()
    .regex(/-----BEGIN PRIVATE KEY-----/, 'must be a PKCS#8 PEM private key')
    .refine(isRsaKey, 'must be a usable RSA private key (the assertion is signed RS256)'),
  private_key_id: z.string().min(1).optional(),
  token_uri: z.url({ protocol: /^https?$/ }),
});

function isRsaKey(pem: string): boolean {
  try {
    return createPrivateKey(pem).asymmetricKeyType === 'rsa';
  } catch {
    return false;
  }
}

export type FcmServiceAccountEnv = z.infer<typeof serviceAccountShape>;

/**
 * FCM_SERVICE_ACCOUNT: the service account key file's JSON itself, or a path to it. Checked at
 * start (readable, JSON, the fields FCM needs, an RSA key Node can load); an issue names the field, never quotes the key.
 */
export const fcmServiceAccountSchema = z
  .string()
  .optional()
  .transform((raw, ctx): FcmServiceAccountEnv | undefined => {
    if (raw === undefined || raw.trim() === '') return undefined;
    let text = raw.trim();
    if (!text.startsWith('{')) {
      try {
        text = readFileSync(text, 'utf8');
      } catch {
        ctx.issues.push({
          code: 'custom',
          input: undefined,
          message: `cannot read the file ${raw}`,
        });
        return z.NEVER;
      }
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      ctx.issues.push({
        code: 'custom',
        input: undefined,
        message: 'is not JSON (nor a path to it)',
      });
      return z.NEVER;
    }
    const parsed = serviceAccountShape.safeParse(json);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) {
      ctx.issues.push({
        code: 'custom',
        input: undefined,
        message: `${issue.path.join('.') || 'the service account'}: ${issue.message}`,
      });
    }
    return z.NEVER;
  })
  .describe(
    'the Firebase service account key (its JSON, or a path to the file) the `fcm` provider sends with; its `token_uri` is honoured',
  );

/** The direct mobile push and Slack bot fields of the worker's environment. */
export const workerDirectPushFields = {
  FCM_SERVICE_ACCOUNT: fcmServiceAccountSchema,
  FCM_API_BASE_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe("FCM's API base URL (tests); default `https://fcm.googleapis.com`"),
  SLACK_BOT_TOKEN: z
    .string()
    .regex(/^xox[bp]-[A-Za-z0-9-]+$/, 'must be a Slack bot token (xoxb-…)')
    .optional()
    .describe(
      'a Slack bot token (`chat:write`, `im:write`): the `slack-bot` provider posts to `{ "conversation": "U…|C…" }` targets',
    ),
  SLACK_API_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe("Slack's Web API base URL (tests); default `https://slack.com/api/`"),
};
