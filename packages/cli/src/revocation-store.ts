import { createAwsClients, createDynamoRevocationStore } from '@herald/aws';
import type { AwsSettings } from './config';
import type { RevocationStoreHandle } from './context';

/** The DynamoDB revocation store every api instance reads, and a way to free its sockets. */
export function openDynamoRevocationStore(aws: AwsSettings): RevocationStoreHandle {
  const clients = createAwsClients({
    region: aws.region,
    dynamodbEndpoint: aws.dynamodbEndpoint,
    credentials: aws.credentials,
  });
  return {
    store: createDynamoRevocationStore({ doc: clients.doc, tableName: aws.tableName }),
    close() {
      // Keep-alive sockets would otherwise hold the process open after the command is done.
      clients.dynamodb.destroy();
      clients.sqs.destroy();
    },
  };
}
