/**
 * Process entry for the emulators (the local stack's child processes, tests, anyone who wants
 * them alone). Env (see emulators-env.ts): HERALD_DATA_DIR (optional; dynalite persists there),
 * HERALD_DYNAMODB_PORT and HERALD_SQS_PORT (default 0 = any free port), HERALD_EMULATORS_ONLY
 * (`dynamodb` or `sqs`: start only that one; the other endpoint is printed as ""). Prints exactly
 * one JSON line to stdout once both servers listen:
 * `{"ready":true,"dynamodbEndpoint":"…","sqsEndpoint":"…"}`. Exits 0 after a clean stop on
 * SIGTERM or SIGINT, 1 if it cannot start or stop.
 */
import { startEmulators } from './emulators';
import { parseEmulatorsEnv } from './emulators-env';

async function main(): Promise<void> {
  const env = parseEmulatorsEnv(process.env);
  const emulators = await startEmulators({
    ...(env.HERALD_DATA_DIR === undefined ? {} : { dataDir: env.HERALD_DATA_DIR }),
    ...(env.HERALD_EMULATORS_ONLY === undefined ? {} : { only: env.HERALD_EMULATORS_ONLY }),
    dynamodbPort: env.HERALD_DYNAMODB_PORT,
    sqsPort: env.HERALD_SQS_PORT,
  });
  const shutdown = () => {
    emulators.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`emulators did not stop cleanly: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  process.stdout.write(
    `${JSON.stringify({
      ready: true,
      dynamodbEndpoint: emulators.dynamodbEndpoint,
      sqsEndpoint: emulators.sqsEndpoint,
    })}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(
    `emulators failed to start: ${err instanceof Error ? err.stack : String(err)}\n`,
  );
  process.exit(1);
});
