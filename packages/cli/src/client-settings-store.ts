import { createAwsClients, createDynamoClientSettingsStore } from '@herald/aws';
import type { AwsSettings } from './config';
import type { ClientSettingsStoreHandle } from './context';

/** The DynamoDB client settings the api and worker read, and a way to free its sockets. */
export function openDynamoClientSettingsStore(aws: AwsSettings): ClientSettingsStoreHandle {
  const clients = createAwsClients({
    region: aws.region,
    dynamodbEndpoint: aws.dynamodbEndpoint,
    credentials: aws.credentials,
  });
  return {
    store: createDynamoClientSettingsStore({ doc: clients.doc, tableName: aws.tableName }),
    close() {
      // Keep-alive sockets would otherwise hold the process open after the command is done.
      clients.dynamodb.destroy();
      clients.sqs.destroy();
    },
  };
}
