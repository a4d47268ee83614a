/**
 * Test support for the store's integration suites: the emulators started once per test file, and
 * tables of their own that are destroyed when the file is done.
 */
import type { NotificationStore } from '@herald/core';
import { startEmulatorsProcess, type EmulatorsProcess } from '@herald/emulators';
import { createDynamoNotificationStore } from './store/dynamo-notification-store';
import { createTestInfrastructure, type TestInfrastructure } from './testing';

/** The fixed instant the suites' timestamps count from. */
export const T0 = Date.parse('2026-01-01T00:00:00.000Z');
/** ISO time `seconds` after T0. */
export const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

/** The emulators of the current test file; valid inside its tests and `beforeAll` hooks. */
export interface Dynalite {
  readonly emulators: EmulatorsProcess;
  /** A new table (and queues) of its own with a store on it, destroyed after the file. */
  freshTable(prefix: string): Promise<{ infra: TestInfrastructure; store: NotificationStore }>;
  /** Runs `cleanup` after the file's tests, before the emulators stop. */
  onCleanup(cleanup: () => void): void;
}

/** Registers `beforeAll`/`afterAll` hooks that start the emulators and stop them after the file. */
export function useDynalite(): Dynalite {
  let emulators: EmulatorsProcess;
  const cleanups: (() => void)[] = [];

  beforeAll(async () => {
    emulators = await startEmulatorsProcess();
  });

  afterAll(async () => {
    for (const cleanup of cleanups) cleanup();
    await emulators?.stop();
  });

  return {
    get emulators() {
      return emulators;
    },
    async freshTable(prefix) {
      const infra = await createTestInfrastructure(emulators, { prefix });
      cleanups.push(() => infra.destroy());
      const store = createDynamoNotificationStore({
        doc: infra.clients.doc,
        tableName: infra.tableName,
      });
      return { infra, store };
    },
    onCleanup(cleanup) {
      cleanups.push(cleanup);
    },
  };
}
