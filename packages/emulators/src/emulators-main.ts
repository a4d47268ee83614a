/**
 * Process entry for the emulators (the local stack's child processes, tests, anyone who wants
 * them alone). Env (see emulators-env.ts): HERALD_DATA_DIR (optional; dynalite persists there),
 * HERALD_DYNAMODB_PORT and HERALD_SQS_PORT (default 0 = any free port), HERALD_EMULATORS_ONLY
 * (`dynamodb` or `sqs`: start only that one; the other endpoint is printed as ""). Prints exactly
 * one JSON line to stdout once both servers listen:
 * `{"ready":true,"dynamodbEndpoint":"…","sqsEndpoint":"…"}`. Exits 0 after a clean stop on
 * SIGTERM or SIGINT, 1 if it cannot start or stop.
 */
import { serveEmulators } from './serve-emulators';

serveEmulators(process.env);
