import {
  ConditionalCheckFailedException,
  DynamoDBServiceException,
} from '@aws-sdk/client-dynamodb';
import { AppError } from '@herald/core';
import { hasErrorName, isConditionalCheckFailed, toQueueError, toStoreError } from './errors';

function serviceError(name: string, status: number, fault: 'client' | 'server' = 'client') {
  return new DynamoDBServiceException({
    name,
    $fault: fault,
    $metadata: { httpStatusCode: status },
    message: name,
  });
}

function networkError(code: string) {
  return Object.assign(new Error(`connect ${code}`), { code });
}

describe('toStoreError', () => {
  it.each([
    ['throttling', serviceError('ThrottlingException', 400)],
    ['exceeded throughput', serviceError('ProvisionedThroughputExceededException', 400)],
    ['a 5xx answer', serviceError('InternalServerError', 500, 'server')],
    ['a 503 with an unknown name', serviceError('Whatever', 503, 'server')],
    ['a refused connection', networkError('ECONNREFUSED')],
    ['a reset socket', networkError('ECONNRESET')],
    ['a timeout', Object.assign(new Error('timed out'), { name: 'TimeoutError' })],
    ['an abort', Object.assign(new Error('aborted'), { name: 'AbortError' })],
    ['a wrapped network error', new Error('fetch failed', { cause: networkError('ETIMEDOUT') })],
  ])('maps %s to UNAVAILABLE with the cause kept', (_, err) => {
    const mapped = toStoreError(err, 'DynamoDB GetItem');

    expect(mapped).toBeInstanceOf(AppError);
    expect(mapped.code).toBe('UNAVAILABLE');
    expect(mapped.cause).toBe(err);
  });

  it.each([
    ['a validation error', serviceError('ValidationException', 400)],
    ['a missing table', serviceError('ResourceNotFoundException', 400)],
    ['a plain bug', new TypeError('x is undefined')],
    ['a non-error', 'boom'],
  ])('maps %s to INTERNAL', (_, err) => {
    expect(toStoreError(err).code).toBe('INTERNAL');
  });

  it('passes an AppError through unchanged', () => {
    const err = new AppError('VALIDATION_FAILED', 'cursor is invalid');

    expect(toStoreError(err)).toBe(err);
  });
});

describe('toQueueError', () => {
  it('maps even a client error to UNAVAILABLE', () => {
    const err = serviceError('QueueDoesNotExist', 400);

    expect(toQueueError(err, 'SQS SendMessageBatch')).toMatchObject({
      code: 'UNAVAILABLE',
      cause: err,
    });
  });
});

describe('hasErrorName', () => {
  it('matches the model name inside a query-compatible SQS error code', () => {
    const err = serviceError('AWS.SimpleQueueService.QueueNameExists', 400);

    expect(hasErrorName(err, 'QueueNameExists')).toBe(true);
    expect(hasErrorName(err, 'QueueDoesNotExist')).toBe(false);
  });

  it('recognises a conditional check failure', () => {
    const err = new ConditionalCheckFailedException({ message: 'no', $metadata: {} });

    expect(isConditionalCheckFailed(err)).toBe(true);
    expect(isConditionalCheckFailed(new Error('no'))).toBe(false);
  });
});
