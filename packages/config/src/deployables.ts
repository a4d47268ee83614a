import type { z } from 'zod';
import { apiEnvSchema } from './api-env';
import { cliEnvSchema } from './cli-env';
import { emulatorsEnvSchema } from './emulators-env';
import { localEnvSchema } from './local-env';
import { workerEnvSchema } from './worker-env';

/** A deployable and the schema its environment is parsed with at start. */
export interface Deployable {
  /** As the configuration reference names it. */
  name: 'api' | 'worker' | 'cli' | 'local' | 'emulators';
  schema: z.ZodObject;
}

/** Every deployable that reads the environment, in the order the reference lists them. */
export const DEPLOYABLES: readonly Deployable[] = [
  { name: 'api', schema: apiEnvSchema },
  { name: 'worker', schema: workerEnvSchema },
  { name: 'cli', schema: cliEnvSchema },
  { name: 'local', schema: localEnvSchema },
  { name: 'emulators', schema: emulatorsEnvSchema },
];
