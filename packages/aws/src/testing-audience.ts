/**
 * Test support for the audience store's integration suites: the emulators started once per test
 * file and an audience table of its own, with a store on it.
 */
import { randomBytes } from 'node:crypto';
import type { RecipientStore } from '@herald/core';
import { startEmulatorsProcess, type EmulatorsProcess } from '@herald/emulators';
import type { AwsClients } from './aws-clients';
import { createDynamoRecipientStore } from './audience/dynamo-recipient-store';
import { ensureAudienceTable } from './audience/provision-audience-table';
import { createEmulatorClients } from './testing';

/** The audience table of the current test file; valid inside its tests. */
export interface AudienceTable {
  readonly store: RecipientStore;
  readonly clients: AwsClients;
  readonly tableName: string;
}

/** Registers `beforeAll`/`afterAll` hooks: emulators, a fresh audience table, a store on it. */
export function useAudienceTable(prefix: string): AudienceTable {
  let emulators: EmulatorsProcess;
  let clients: AwsClients;
  let store: RecipientStore;
  const tableName = `${prefix}-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    emulators = await startEmulatorsProcess();
    clients = createEmulatorClients(emulators);
    await ensureAudienceTable({ dynamodb: clients.dynamodb, tableName });
    store = createDynamoRecipientStore({ doc: clients.doc, tableName });
  });

  afterAll(async () => {
    clients?.dynamodb.destroy();
    clients?.sqs.destroy();
    clients?.sns.destroy();
    await emulators?.stop();
  });

  return {
    get store() {
      return store;
    },
    get clients() {
      return clients;
    },
    tableName,
  };
}
