/**
 * Herald's configuration: every deployable's environment schema (api, worker, cli, `local`,
 * the `pnpm start` launcher, and the emulators process), the defaults they share, the renamed variables, and the generated
 * configuration reference. Each deployable parses its environment once at start with `parseEnv`,
 * so every problem is reported at once before any network call.
 */
export {
  bulkQueueNameOf,
  dlqNameOf,
  DEFAULT_AUDIENCE_TABLE_NAME,
  DEFAULT_AWS_REGION,
  DEFAULT_DATA_DIR,
  DEFAULT_QUEUE_NAME,
  DEFAULT_STATUS_TOPIC_NAME,
  DEFAULT_TABLE_NAME,
  DEFAULT_TOKEN_AUDIENCE,
  DEFAULT_TOKEN_ISSUER,
} from './defaults';
export { intFromEnv, parseEnv } from './parse-env';
export { applyRenamedEnv, RENAMED_ENV } from './renamed-env';
export type { RenamedEnv } from './renamed-env';
export { awsEnvSchema } from './aws-env';
export type { AwsEnv } from './aws-env';
export { apiEnvSchema } from './api-env';
export type { ApiEnv } from './api-env';
export { workerEnvSchema } from './worker-env';
export type { WorkerEnv } from './worker-env';
export { ROUTE_VARIABLES } from './worker-channels-env';
export { apnsConfigured } from './worker-apns-env';
export { PROVIDER_NAMES } from './worker-routing-env';
export type { ProviderName } from './worker-routing-env';
export { cliEnvSchema } from './cli-env';
export type { CliEnv } from './cli-env';
export { localEnvSchema } from './local-env';
export type { LocalEnv } from './local-env';
export { emulatorsEnvSchema } from './emulators-env';
export type { EmulatorsEnv } from './emulators-env';
export { DEPLOYABLES } from './deployables';
export type { Deployable } from './deployables';
export { configReferenceRows, renderConfigReference } from './config-reference';
export type { ReferenceRow } from './config-reference';
export {
  CONFIG_REFERENCE_COMMAND,
  CONFIG_REFERENCE_END,
  CONFIG_REFERENCE_START,
  readConfigReferenceSection,
  writeConfigReferenceSection,
} from './readme-section';
