import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { NotificationRecord } from '@herald/core';
import { anEmailRequest } from '@herald/core/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { claimNotification, whyNotClaimable } from './dynamo-claim';
import { toItem } from './notification-item';

const NOW = '2026-01-01T00:01:00.000Z';
const LATER = '2026-01-01T00:02:00.000Z';
const EARLIER = '2026-01-01T00:00:30.000Z';

const pending: NotificationRecord = {
  id: 'ntf_1',
  clientId: 'client-a',
  channel: 'email',
  request: anEmailRequest(),
  requestHash: 'hash',
  status: 'Pending',
  createdAt: EARLIER,
  updatedAt: EARLIER,
  attempts: 0,
  events: [{ at: EARLIER, type: 'accepted' }],
};

const claim = {
  owner: 'w1',
  now: NOW,
  leaseUntil: LATER,
  event: { at: NOW, type: 'attempt_started' as const },
};

const item = (r: NotificationRecord) => toItem(r, { shard: '0', at: LATER });
const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

describe('whyNotClaimable', () => {
  it.each<[string, NotificationRecord, unknown]>([
    ['a Pending notification', pending, undefined],
    ['one leased by the caller', { ...pending, lease: { owner: 'w1', until: LATER } }, undefined],
    ['one whose lease expired', { ...pending, lease: { owner: 'w2', until: NOW } }, undefined],
    ['one whose retry is due', { ...pending, nextAttemptAt: NOW }, undefined],
    [
      'one leased by another worker',
      { ...pending, lease: { owner: 'w2', until: LATER } },
      { kind: 'leased', until: LATER },
    ],
    [
      'one waiting for a retry',
      { ...pending, nextAttemptAt: LATER },
      { kind: 'not-due', at: LATER },
    ],
  ])('classifies %s', (_, record, expected) => {
    expect(whyNotClaimable(record, claim)).toEqual(expected);
  });

  it('reports a final notification with its record', () => {
    const done = { ...pending, status: 'Delivered' as const };

    expect(whyNotClaimable(done, claim)).toEqual({ kind: 'final', record: done });
  });
});

describe('claimNotification', () => {
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
  const mock = mockClient(doc);
  const ctx = { doc, tableName: 'herald' };

  beforeEach(() => mock.reset());

  it('claims a first attempt with one conditional write guessing attempts = 0, no read', async () => {
    const claimed = { ...pending, attempts: 1, lease: { owner: 'w1', until: LATER } };
    mock.on(UpdateCommand).resolves({ Attributes: item(claimed) });

    const result = await claimNotification(ctx, 'ntf_1', claim);

    expect(result).toEqual({ kind: 'claimed', record: claimed });
    const input = mock.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(input?.ConditionExpression).toContain('#attempts = :seen');
    expect(input?.ExpressionAttributeValues).toMatchObject({
      ':seen': 0,
      ':attempt': 1,
      ':event': [{ at: NOW, type: 'attempt_started', detail: { attempt: 1 } }],
    });
    expect(mock.commandCalls(GetCommand)).toHaveLength(0);
  });

  it('reads when the guess fails, then writes conditionally on the attempts it read', async () => {
    const retrying = { ...pending, attempts: 2 };
    const claimed = { ...retrying, attempts: 3, lease: { owner: 'w1', until: LATER } };
    mock.on(GetCommand).resolves({ Item: item(retrying) });
    mock
      .on(UpdateCommand)
      .rejectsOnce(conditionFailed())
      .resolves({ Attributes: item(claimed) });

    const result = await claimNotification(ctx, 'ntf_1', claim);

    expect(result).toEqual({ kind: 'claimed', record: claimed });
    expect(mock.commandCalls(GetCommand)[0]?.args[0].input.ConsistentRead).toBe(true);
    expect(
      mock.commandCalls(UpdateCommand)[1]?.args[0].input.ExpressionAttributeValues,
    ).toMatchObject({ ':seen': 2, ':attempt': 3 });
  });

  it('reports a missing notification after the guess, without writing again', async () => {
    mock.on(UpdateCommand).rejects(conditionFailed());
    mock.on(GetCommand).resolves({});

    expect(await claimNotification(ctx, 'ntf_1', claim)).toEqual({ kind: 'missing' });
    expect(mock.commandCalls(UpdateCommand)).toHaveLength(1);
  });

  it('re-reads after losing a race and reports the winner’s lease', async () => {
    mock
      .on(GetCommand)
      .resolvesOnce({ Item: item(pending) })
      .resolves({ Item: item({ ...pending, attempts: 1, lease: { owner: 'w2', until: LATER } }) });
    mock.on(UpdateCommand).rejects(conditionFailed());

    const result = await claimNotification(ctx, 'ntf_1', claim);

    expect(result).toEqual({ kind: 'leased', until: LATER });
    expect(mock.commandCalls(UpdateCommand)).toHaveLength(2);
  });

  it('re-reads after losing a race to a completion and reports it final', async () => {
    const done = { ...pending, status: 'Refused' as const };
    mock
      .on(GetCommand)
      .resolvesOnce({ Item: item(pending) })
      .resolves({ Item: item(done) });
    mock.on(UpdateCommand).rejects(conditionFailed());

    expect(await claimNotification(ctx, 'ntf_1', claim)).toEqual({ kind: 'final', record: done });
  });

  it('tries again when the re-read shows it is still claimable', async () => {
    const afterOtherClaim = { ...pending, attempts: 1, lease: { owner: 'w2', until: NOW } };
    const claimed = { ...pending, attempts: 2, lease: { owner: 'w1', until: LATER } };
    mock
      .on(GetCommand)
      .resolvesOnce({ Item: item(pending) })
      .resolves({ Item: item(afterOtherClaim) });
    mock
      .on(UpdateCommand)
      .rejectsOnce(conditionFailed()) // the guess
      .rejectsOnce(conditionFailed()) // the write on the first read
      .resolves({ Attributes: item(claimed) });

    const result = await claimNotification(ctx, 'ntf_1', claim);

    expect(result).toEqual({ kind: 'claimed', record: claimed });
    expect(
      mock.commandCalls(UpdateCommand)[2]?.args[0].input.ExpressionAttributeValues,
    ).toMatchObject({ ':seen': 1, ':attempt': 2 });
  });

  it('gives up with UNAVAILABLE after losing three races in a row', async () => {
    mock.on(GetCommand).resolves({ Item: item(pending) });
    mock.on(UpdateCommand).rejects(conditionFailed());

    await expect(claimNotification(ctx, 'ntf_1', claim)).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    });
    expect(mock.commandCalls(UpdateCommand)).toHaveLength(4); // the guess, then three races
  });

  it('maps a throttled write to UNAVAILABLE', async () => {
    mock.on(GetCommand).resolves({ Item: item(pending) });
    mock.on(UpdateCommand).rejects(
      Object.assign(new Error('slow down'), {
        name: 'ProvisionedThroughputExceededException',
        $metadata: { httpStatusCode: 400 },
      }),
    );

    await expect(claimNotification(ctx, 'ntf_1', claim)).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    });
  });
});
