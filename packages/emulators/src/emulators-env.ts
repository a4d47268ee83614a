import { AppError } from '@herald/core';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65_535).default(0);
// An empty value means "not set": the process starter passes every variable, empty when unused.
const unset = (value: unknown) => (value === '' ? undefined : value);

const emulatorsEnvSchema = z.object({
  /** dynalite keeps its tables under `<dir>/dynamodb`; in memory when absent. */
  HERALD_DATA_DIR: z.preprocess(unset, z.string().min(1).optional()),
  /** 0 (the default): any free port. */
  HERALD_DYNAMODB_PORT: z.preprocess(unset, port),
  /** 0 (the default): any free port. fauxqs serves SNS on the same port. */
  HERALD_SQS_PORT: z.preprocess(unset, port),
  /** Start only this emulator; the other's endpoint is then ''. */
  HERALD_EMULATORS_ONLY: z.preprocess(unset, z.enum(['dynamodb', 'sqs']).optional()),
});

export type EmulatorsEnv = z.output<typeof emulatorsEnvSchema>;

/**
 * The emulators process's settings from its environment. Throws AppError `CONFIG_INVALID` naming
 * every invalid variable at once.
 */
export function parseEmulatorsEnv(env: NodeJS.ProcessEnv): EmulatorsEnv {
  const parsed = emulatorsEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new AppError(
      'CONFIG_INVALID',
      `Invalid emulators configuration:\n${z.prettifyError(parsed.error)}`,
    );
  }
  return parsed.data;
}
