import { z } from 'zod';
import { endpointSchemas, queueNameSchema, queueUrlSchema } from './aws-env';
import {
  DEFAULT_AUDIENCE_TABLE_NAME,
  DEFAULT_AWS_REGION,
  DEFAULT_TABLE_NAME,
  DEFAULT_TOKEN_AUDIENCE,
  DEFAULT_TOKEN_ISSUER,
} from './defaults';
import { callbackSecretSchema } from './shared-env';
import { dataDirSchema } from './local-env';

const httpUrl = z.string().refine((url) => /^https?:$/.test(protocolOf(url)), {
  error: (issue) => `the API URL '${String(issue.input)}' is not an http(s) URL`,
});

function protocolOf(url: string): string {
  try {
    return new URL(url).protocol;
  } catch {
    return '';
  }
}

const orLocal = (what: string, fallback: string) =>
  `${what}; default: the running local stack's (\`local.json\`), else \`${fallback}\``;

/**
 * The CLI's environment (`herald`). Variables without a default here fall back to the running
 * local stack's `<data dir>/local.json` (see `loadCliConfig`), then to the usual default.
 */
export const cliEnvSchema = z.object({
  HERALD_DATA_DIR: dataDirSchema,
  HERALD_KEYS_DIR: z
    .string()
    .min(1)
    .optional()
    .describe(
      orLocal('where the signing keys live (`herald keys`, `herald token`)', '<data dir>/keys'),
    ),
  HERALD_SIGNING_KEY: z
    .string()
    .min(1)
    .optional()
    .describe(
      'the private signing JWK itself, instead of `<keys dir>/signing-key.json` (never a flag)',
    ),
  HERALD_API_URL: httpUrl
    .optional()
    .describe("the api for `send`, `status`, `list`; default: the running local stack's"),
  HERALD_TOKEN: z
    .string()
    .min(1)
    .optional()
    .describe("the client token for `send`, `status`, `list`; default: the running local stack's"),
  HERALD_CALLBACK_SECRET: callbackSecretSchema,
  HERALD_TOKEN_ISSUER: z
    .string()
    .min(1)
    .optional()
    .describe(orLocal('the `iss` of the tokens `herald token issue` signs', DEFAULT_TOKEN_ISSUER)),
  HERALD_TOKEN_AUDIENCE: z
    .string()
    .min(1)
    .optional()
    .describe(
      orLocal('the `aud` of the tokens `herald token issue` signs', DEFAULT_TOKEN_AUDIENCE),
    ),
  AWS_REGION: z.string().min(1).optional().describe(orLocal('AWS region', DEFAULT_AWS_REGION)),
  AWS_ACCESS_KEY_ID: z
    .string()
    .min(1)
    .optional()
    .describe(
      'AWS credentials (read by the SDK); when unset while the local stack runs, the CLI gives the emulators dummy ones',
    ),
  ...endpointSchemas,
  HERALD_TABLE_NAME: z
    .string()
    .min(1)
    .optional()
    .describe(orLocal('DynamoDB table', DEFAULT_TABLE_NAME)),
  HERALD_AUDIENCE_TABLE_NAME: z
    .string()
    .min(1)
    .optional()
    .describe(orLocal('DynamoDB table of recipients and devices', DEFAULT_AUDIENCE_TABLE_NAME)),
  HERALD_QUEUE_NAME: queueNameSchema,
  HERALD_QUEUE_URL: queueUrlSchema,
  HERALD_DLQ_URL: z
    .url()
    .optional()
    .describe(
      "the work queue's DLQ for `herald dlq`; default: the local stack's, else from the queue's redrive policy",
    ),
});

/** The CLI's settings, parsed; `loadCliConfig` merges them with `local.json`. */
export type CliEnv = z.infer<typeof cliEnvSchema>;
