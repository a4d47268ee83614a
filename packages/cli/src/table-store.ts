import {
  createAwsClients,
  createDynamoClientSettingsStore,
  createDynamoRevocationStore,
} from '@herald/aws';
import type { AwsSettings } from './config';
import type { StoreHandle } from './context';

type TableAccess = { doc: ReturnType<typeof createAwsClients>['doc']; tableName: string };

/** A store over Herald's table, built by `make`, and a way to free the SDK's sockets. */
function openTableStore<S>(aws: AwsSettings, make: (table: TableAccess) => S): StoreHandle<S> {
  const clients = createAwsClients({
    region: aws.region,
    dynamodbEndpoint: aws.dynamodbEndpoint,
    credentials: aws.credentials,
  });
  return {
    store: make({ doc: clients.doc, tableName: aws.tableName }),
    close() {
      // Keep-alive sockets would otherwise hold the process open after the command is done.
      clients.dynamodb.destroy();
      clients.sqs.destroy();
    },
  };
}

/** The DynamoDB revocation store every api instance reads. */
export const openDynamoRevocationStore = (aws: AwsSettings) =>
  openTableStore(aws, createDynamoRevocationStore);

/** The DynamoDB client settings the api and worker read. */
export const openDynamoClientSettingsStore = (aws: AwsSettings) =>
  openTableStore(aws, createDynamoClientSettingsStore);
