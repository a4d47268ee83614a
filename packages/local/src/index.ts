export { startEmulators } from './emulators';
export type { EmulatorOptions, Emulators } from './emulators';
export { LOCAL_CREDENTIALS, LOCAL_REGION, createLocalAwsClients } from './local-aws';
export { startSmtpSink } from './smtp-sink';
export { runNode, startNodeProcess } from './node-process';
export type { NodeProcess, NodeProcessOptions, ProcessExit } from './node-process';
export { cpuCounters, cpuSeconds, rssMb } from './process-stats';
export type { CpuCounters } from './process-stats';
