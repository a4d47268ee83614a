import { emulatorsEnvSchema, parseEnv, type EmulatorsEnv } from '@herald/config';

/**
 * The emulators process's settings from its environment (schema in @herald/config). Throws
 * AppError `CONFIG_INVALID` naming every invalid variable at once.
 */
export function parseEmulatorsEnv(env: NodeJS.ProcessEnv): EmulatorsEnv {
  return parseEnv(emulatorsEnvSchema, env, 'emulators');
}
