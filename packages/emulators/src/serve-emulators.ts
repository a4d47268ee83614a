import { startEmulators } from './emulators';
import { parseEmulatorsEnv } from './emulators-env';

async function serve(processEnv: NodeJS.ProcessEnv): Promise<void> {
  const env = parseEmulatorsEnv(processEnv);
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

/**
 * Runs the emulators as this process's whole job (see emulators-main.ts for the contract): reads
 * the environment, prints the ready line, exits on SIGTERM/SIGINT, or with 1 if they cannot start.
 */
export function serveEmulators(processEnv: NodeJS.ProcessEnv = process.env): void {
  serve(processEnv).catch((err: unknown) => {
    process.stderr.write(
      `emulators failed to start: ${err instanceof Error ? err.stack : String(err)}\n`,
    );
    process.exit(1);
  });
}
