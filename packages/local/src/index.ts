/**
 * Herald on one machine: `pnpm start` (main.ts), and startStack, the one way local mode, the
 * end-to-end tests, bench and soak start emulators, resources, keys, the api and the worker.
 */
export { LOCAL_CREDENTIALS, LOCAL_REGION, createLocalAwsClients } from './local-aws';
export { formatLogLine } from './log-line';
export { startSmtpSink } from './smtp-sink';
export { runNode, startNodeProcess } from './node-process';
export type { NodeProcess, NodeProcessOptions, ProcessExit } from './node-process';
export { cpuCounters, cpuSeconds, rssMb } from './process-stats';
export type { CpuCounters } from './process-stats';
export { startStack } from './stack/start-stack';
export type { Stack } from './stack/stack';
export type {
  EmulatorMode,
  OutputMode,
  ResourceSet,
  StackNames,
  StackOptions,
} from './stack/stack-options';
export { randomStackNames } from './stack/stack-resources';
export type { StackResources } from './stack/stack-resources';
export type { StackKeys } from './stack/stack-keys';
export type { EmulatorProcesses } from './stack/stack-emulators';
export { heraldEntry } from './stack/herald-process';
export type { HeraldEntry, LaunchOptions } from './stack/herald-process';
export { freePort } from './stack/free-port';
