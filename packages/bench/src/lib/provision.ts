import { ensureSigningKey, keyFilePaths } from '@herald/auth';
import { ensureHeraldResources, type HeraldResources } from '@herald/aws';
import { createLocalAwsClients } from '@herald/local';

/** Where to provision: the emulators' endpoints, the resource names and the keys directory. */
export interface ProvisionOptions {
  dynamodbEndpoint: string;
  sqsEndpoint: string;
  tableName: string;
  queueName: string;
  keysDir: string;
}

/** The resources provisioned, as `ensureHeraldResources` returns them, and the JWKS file. */
export interface Provisioned extends HeraldResources {
  /** The public keys file the api verifies tokens with. */
  jwks: string;
}

/**
 * What `herald setup` does, in process: the table, queues and status topic on the emulators and
 * a signing key in `keysDir`, with the resources' URLs returned typed instead of printed.
 */
export async function provisionHerald(options: ProvisionOptions): Promise<Provisioned> {
  const aws = createLocalAwsClients(options);
  try {
    const resources = await ensureHeraldResources({
      dynamodb: aws.dynamodb,
      sqs: aws.sqs,
      sns: aws.sns,
      tableName: options.tableName,
      queueName: options.queueName,
    });
    await ensureSigningKey(options.keysDir);
    return { ...resources, jwks: keyFilePaths(options.keysDir).jwks };
  } finally {
    aws.dynamodb.destroy();
    aws.sqs.destroy();
    aws.sns.destroy();
  }
}
