import { createAwsClients } from '@herald/aws';
import type { AwsClients } from '@herald/aws';

/** The region every local client and resource uses; the emulators accept any. */
export const LOCAL_REGION = 'us-east-1';

/** The SDK insists on credentials even for emulators, which ignore them. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** SDK clients pointed at the emulators (see startEmulators). Destroy them when done. */
export function createLocalAwsClients(endpoints: {
  dynamodbEndpoint: string;
  sqsEndpoint: string;
}): AwsClients {
  return createAwsClients({
    region: LOCAL_REGION,
    dynamodbEndpoint: endpoints.dynamodbEndpoint,
    sqsEndpoint: endpoints.sqsEndpoint,
    // fauxqs serves SNS on the same port as SQS.
    snsEndpoint: endpoints.sqsEndpoint,
    credentials: { ...LOCAL_CREDENTIALS },
  });
}
