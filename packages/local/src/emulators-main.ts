/**
 * Process entry for the local emulators (used by tests and by anyone who wants them alone).
 * Env: HERALD_DATA_DIR (optional; dynalite persists there), HERALD_DYNAMODB_PORT and
 * HERALD_SQS_PORT (default 0 = any free port), HERALD_EMULATORS_ONLY (`dynamodb` or `sqs`: start
 * only that one; the other endpoint is printed as ""). Prints exactly one JSON line to stdout once both
 * servers listen: `{"ready":true,"dynamodbEndpoint":"…","sqsEndpoint":"…"}`. Exits 0 after a
 * clean stop on SIGTERM or SIGINT, 1 if it cannot start or stop.
 */
import { startEmulators } from './emulators';

function portFromEnv(name: string): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return 0;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`${name} must be a port number (0-65535), got "${raw}"`);
  }
  return port;
}

async function main(): Promise<void> {
  const dataDir = process.env.HERALD_DATA_DIR;
  const only = process.env.HERALD_EMULATORS_ONLY;
  if (only !== undefined && only !== '' && only !== 'dynamodb' && only !== 'sqs') {
    throw new Error(`HERALD_EMULATORS_ONLY must be "dynamodb" or "sqs", got "${only}"`);
  }
  const emulators = await startEmulators({
    ...(dataDir === undefined || dataDir === '' ? {} : { dataDir }),
    ...(only === 'dynamodb' || only === 'sqs' ? { only } : {}),
    dynamodbPort: portFromEnv('HERALD_DYNAMODB_PORT'),
    sqsPort: portFromEnv('HERALD_SQS_PORT'),
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
