/**
 * One notification's delivery, by hand, with the store calls Herald's worker makes: claim the
 * lease (one conditional UpdateItem; a consistent GetItem and a second write only when it fails),
 * POST to the provider sink, write Delivered conditionally on still holding the lease with the
 * status event recorded as owed (the outbox), publish the event to SNS, clear the owed event.
 * Both worker baselines (the bare loop and the sqs-consumer version) use it, so they make the
 * same calls as Herald and differ in how they drive the queue, and in that they publish inside
 * the delivery slot, as a plain consumer would; Herald's worker publishes behind it.
 */
import { GetItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';

/** The clients and names one deliverer works with; `owner` is the lease owner it writes. */
export interface DelivererOptions {
  dynamodb: DynamoDBClient;
  sns: SNSClient;
  tableName: string;
  topicArn: string;
  sinkUrl: string;
  owner: string;
}

interface StoredRequest {
  text: string;
}

/** Returns `deliver(messageBody)`: one notification delivered with Herald's store calls. */
export function deliverer(options: DelivererOptions): (body: string | undefined) => Promise<void> {
  const { dynamodb, sns, tableName, topicArn, sinkUrl, owner } = options;
  const key = (id: string) => ({ pk: { S: `N#${id}` } });

  /** Herald's claim: one conditional write guessing a first attempt, a read only if it fails. */
  async function claim(id: string): Promise<StoredRequest | undefined> {
    try {
      return await writeClaim(id, 0);
    } catch (err) {
      if (!(err instanceof Error) || err.name !== 'ConditionalCheckFailedException') throw err;
    }
    const got = await dynamodb.send(
      new GetItemCommand({ TableName: tableName, Key: key(id), ConsistentRead: true }),
    );
    const item = got.Item;
    if (item === undefined || item.status?.S !== 'Pending') return undefined;
    return writeClaim(id, Number(item.attempts?.N));
  }

  async function writeClaim(id: string, seen: number): Promise<StoredRequest> {
    const now = new Date().toISOString();
    const attempt = seen + 1;
    const res = await dynamodb.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: key(id),
        ConditionExpression:
          '#status = :pending AND #attempts = :seen AND (attribute_not_exists(#leaseUntil) OR #leaseUntil <= :now OR #leaseOwner = :owner)',
        UpdateExpression:
          'SET #leaseOwner = :owner, #leaseUntil = :until, #attempts = :attempt, #updatedAt = :now, #events = list_append(#events, :event)',
        ExpressionAttributeNames: {
          '#status': 'status',
          '#attempts': 'attempts',
          '#leaseOwner': 'leaseOwner',
          '#leaseUntil': 'leaseUntil',
          '#updatedAt': 'updatedAt',
          '#events': 'events',
        },
        ExpressionAttributeValues: {
          ':pending': { S: 'Pending' },
          ':seen': { N: String(seen) },
          ':now': { S: now },
          ':owner': { S: owner },
          ':until': { S: new Date(Date.now() + 60_000).toISOString() },
          ':attempt': { N: String(attempt) },
          ':event': {
            L: [
              {
                M: {
                  at: { S: now },
                  type: { S: 'attempt_started' },
                  detail: { M: { attempt: { N: String(attempt) } } },
                },
              },
            ],
          },
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return JSON.parse(res.Attributes?.req?.S ?? '{}') as StoredRequest;
  }

  async function complete(id: string): Promise<string> {
    const now = new Date().toISOString();
    await dynamodb.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: key(id),
        ConditionExpression: '#status = :pending AND #leaseOwner = :owner',
        UpdateExpression:
          'SET #status = :delivered, #provider = :provider, #pmid = :pmid, #updatedAt = :now, #events = list_append(#events, :event), #owed = :eventId, #sweepShard = :owedShard, #sweepAt = :now REMOVE #leaseOwner, #leaseUntil',
        ExpressionAttributeNames: {
          '#status': 'status',
          '#leaseOwner': 'leaseOwner',
          '#leaseUntil': 'leaseUntil',
          '#provider': 'provider',
          '#pmid': 'providerMessageId',
          '#updatedAt': 'updatedAt',
          '#events': 'events',
          '#sweepShard': 'sweepShard',
          '#sweepAt': 'sweepAt',
          '#owed': 'owedEventId',
        },
        ExpressionAttributeValues: {
          ':eventId': { S: `${id}:Delivered` },
          ':owedShard': { S: 'E0' },
          ':pending': { S: 'Pending' },
          ':owner': { S: owner },
          ':delivered': { S: 'Delivered' },
          ':provider': { S: 'slack' },
          ':pmid': { S: `slack:${id}` },
          ':now': { S: now },
          ':event': { L: [{ M: { at: { S: now }, type: { S: 'delivered' } } }] },
        },
      }),
    );
    return now;
  }

  return async function deliver(body) {
    const { id } = JSON.parse(body ?? '{}') as { id: string };
    const request = await claim(id);
    if (request === undefined) return;
    const res = await fetch(sinkUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: request.text }),
    });
    await res.text();
    if (!res.ok) throw new Error(`sink answered ${res.status}`);
    const at = await complete(id);
    await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: JSON.stringify({
          eventId: `${id}:Delivered`,
          id,
          clientId: 'bench',
          channel: 'slack',
          status: 'Delivered',
          at,
        }),
        MessageAttributes: {
          status: { DataType: 'String', StringValue: 'Delivered' },
          channel: { DataType: 'String', StringValue: 'slack' },
          clientId: { DataType: 'String', StringValue: 'bench' },
          hasCallback: { DataType: 'String', StringValue: 'false' },
          eventId: { DataType: 'String', StringValue: `${id}:Delivered` },
        },
      }),
    );
    await dynamodb.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: key(id),
        ConditionExpression: '#owed = :eventId',
        UpdateExpression: 'REMOVE #owed, #sweepShard, #sweepAt',
        ExpressionAttributeNames: {
          '#owed': 'owedEventId',
          '#sweepShard': 'sweepShard',
          '#sweepAt': 'sweepAt',
        },
        ExpressionAttributeValues: { ':eventId': { S: `${id}:Delivered` } },
      }),
    );
  };
}
