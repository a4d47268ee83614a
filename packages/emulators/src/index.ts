/**
 * The AWS emulators Herald runs on locally and in tests: dynalite (DynamoDB) and fauxqs (SQS and
 * SNS), bound to 127.0.0.1, in this process (startEmulators) or in a child process
 * (startEmulatorsProcess, `dist/emulators-main.js`). Knows nothing of Herald's tables or queues.
 */
export { startEmulators } from './emulators';
export type { EmulatorOptions, Emulators } from './emulators';
export { startEmulatorsProcess } from './emulators-process';
export type {
  EmulatorEndpoints,
  EmulatorsProcess,
  EmulatorsProcessOptions,
} from './emulators-process';
