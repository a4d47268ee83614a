import { z } from 'zod';

const port = (description: string) =>
  z.preprocess(unset, z.coerce.number().int().min(0).max(65_535).default(0)).describe(description);

// An empty value means "not set": process starters pass every variable, empty when unused.
function unset(value: unknown): unknown {
  return value === '' ? undefined : value;
}

/**
 * The environment of the emulators process (`packages/emulators`, `dist/emulators-main.js`):
 * dynalite and fauxqs alone, for tests, the benchmark and anyone who wants them.
 */
export const emulatorsEnvSchema = z.object({
  HERALD_DATA_DIR: z
    .preprocess(unset, z.string().min(1).optional())
    .describe('dynalite keeps its tables under `<dir>/dynamodb`; in memory when unset'),
  HERALD_DYNAMODB_PORT: port('the DynamoDB emulator port; `0`: a free port'),
  HERALD_SQS_PORT: port('the SQS / SNS emulator port (fauxqs serves both); `0`: a free port'),
  HERALD_EMULATORS_ONLY: z
    .preprocess(unset, z.enum(['dynamodb', 'sqs']).optional())
    .describe("start only this emulator; the other's endpoint is then empty"),
});

/** The emulators process's settings, parsed. */
export type EmulatorsEnv = z.output<typeof emulatorsEnvSchema>;
