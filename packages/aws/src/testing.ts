/**
 * Test support for integration tests against the emulators (`@herald/aws/testing`): clients
 * pointed at them, and a fresh table and queues per test file. Start the emulators with
 * `@herald/emulators` (`startEmulatorsProcess`).
 */
import { randomBytes } from 'node:crypto';
import { createAwsClients } from './aws-clients';
import type { AwsClients } from './aws-clients';
import { ensureInfrastructure } from './provisioning/provision';

/** Where the emulators listen (`@herald/emulators` returns these). */
export interface EmulatorEndpoints {
  dynamodbEndpoint: string;
  sqsEndpoint: string;
}

/** SDK clients pointed at the emulators; fauxqs serves SNS on its SQS port. Destroy them when done. */
export function createEmulatorClients(endpoints: EmulatorEndpoints): AwsClients {
  return createAwsClients({
    region: 'us-east-1',
    dynamodbEndpoint: endpoints.dynamodbEndpoint,
    sqsEndpoint: endpoints.sqsEndpoint,
    snsEndpoint: endpoints.sqsEndpoint,
    // The SDK insists on credentials; the emulators ignore them.
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

export interface TestInfrastructure {
  clients: AwsClients;
  tableName: string;
  queueName: string;
  dlqName: string;
  queueUrl: string;
  dlqUrl: string;
  /** Frees the clients' sockets. */
  destroy(): void;
}

/**
 * A table, queue and DLQ with fresh random names (`<prefix>-<hex>`), so test files sharing
 * emulators never see each other's data.
 */
export async function createTestInfrastructure(
  endpoints: EmulatorEndpoints,
  options: { prefix?: string; visibilityTimeoutSeconds?: number; maxReceiveCount?: number } = {},
): Promise<TestInfrastructure> {
  const name = `${options.prefix ?? 'herald'}-${randomBytes(4).toString('hex')}`;
  const clients = createEmulatorClients(endpoints);
  const names = { tableName: name, queueName: `${name}-queue`, dlqName: `${name}-dlq` };
  const urls = await ensureInfrastructure({
    dynamodb: clients.dynamodb,
    sqs: clients.sqs,
    ...names,
    ...(options.visibilityTimeoutSeconds === undefined
      ? {}
      : { visibilityTimeoutSeconds: options.visibilityTimeoutSeconds }),
    ...(options.maxReceiveCount === undefined ? {} : { maxReceiveCount: options.maxReceiveCount }),
  });
  return {
    clients,
    ...names,
    ...urls,
    destroy() {
      clients.dynamodb.destroy();
      clients.sqs.destroy();
      clients.sns.destroy();
    },
  };
}
