export { startEmulators } from './emulators';
export type { EmulatorOptions, Emulators } from './emulators';
export { LOCAL_CREDENTIALS, LOCAL_REGION, createLocalAwsClients } from './local-aws';
export { startSmtpSink } from './smtp-sink';
