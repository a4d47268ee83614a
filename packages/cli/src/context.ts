import type { ClientSettingsStore } from '@herald/aws';
import type { RevocationStore } from '@herald/core';
import type { AwsSettings, CliConfig } from './config';
import type { CliIo } from './io';

/** A store and how to release what it holds open (SDK sockets). */
export interface StoreHandle<S> {
  store: S;
  close(): void;
}

export type RevocationStoreHandle = StoreHandle<RevocationStore>;
export type ClientSettingsStoreHandle = StoreHandle<ClientSettingsStore>;

/** The outside world the commands reach, replaceable in tests. */
export interface CliServices {
  /** Passed to the Herald client; the global `fetch` when absent. */
  fetch?: typeof fetch;
  now(): Date;
  openRevocationStore(aws: AwsSettings): RevocationStoreHandle;
  openClientSettingsStore(aws: AwsSettings): ClientSettingsStoreHandle;
}

/** What every command gets. */
export interface CommandContext {
  io: CliIo;
  config: CliConfig;
  services: CliServices;
}

/** A subcommand: reads its own arguments; throws UsageError (exit 2) or any error (exit 1). */
export type Command = (args: string[], ctx: CommandContext) => Promise<void>;
