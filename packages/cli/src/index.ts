export { run } from './run';
export type { RunDeps } from './run';
export { USAGE } from './usage';
export type { CliIo } from './io';
export type { CliServices, RevocationStoreHandle } from './context';
export type { Env } from './config';
