import { apiEnvSchema, parseEnv, type ApiEnv } from '@herald/config';

/** The api's settings; the schema and every variable's description live in `@herald/config`. */
export type ApiConfig = ApiEnv;

/** Parses the api's environment once, listing every problem; throws `CONFIG_INVALID`. */
export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  return parseEnv(apiEnvSchema, env, 'api');
}
