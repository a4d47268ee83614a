/** The cost proxy counts DynamoDB capacity as AWS bills it: writes, index writes and reads. */
import {
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { itemSize } from './item-size';
import { BIG_ITEM_BYTES, BODY, bigItem, TABLE, useCostProxy } from '../testing-cost-proxy';

const rig = useCostProxy();

describe('DynamoDB writes', () => {
  test('a put of a ~1.4 KB item costs 2 table WCU and one write per index it enters', async () => {
    await rig.client.send(new PutItemCommand({ TableName: TABLE, Item: bigItem() }));
    const { calls, dynamodb } = rig.proxy.snapshot();
    expect(itemSize(bigItem())).toBe(BIG_ITEM_BYTES);
    expect(calls).toEqual({ 'DynamoDB.PutItem': 1 });
    expect(dynamodb.wcuTable).toBe(2);
    // byAll: the whole item + 100 bytes; bySparse: pk + sp + 100 bytes.
    expect(dynamodb.wcuIndexes).toEqual({ byAll: 2, bySparse: 1 });
    expect(dynamodb.wcuIndexTotal).toBe(3);
    expect(dynamodb.wcuTotal).toBe(5);
    expect(dynamodb.rcu).toBe(0);
  });

  test('removing the sparse index key deletes its entry and updates the ALL index', async () => {
    await rig.client.send(new PutItemCommand({ TableName: TABLE, Item: bigItem() }));
    rig.proxy.reset();
    await rig.client.send(
      new UpdateItemCommand({
        TableName: TABLE,
        Key: { pk: { S: 'item-1' } },
        UpdateExpression: 'REMOVE sp',
      }),
    );
    const { calls, dynamodb } = rig.proxy.snapshot();
    expect(calls).toEqual({ 'DynamoDB.UpdateItem': 1 });
    expect(dynamodb.wcuTable).toBe(2);
    expect(dynamodb.wcuIndexes).toEqual({ byAll: 2, bySparse: 1 });
  });

  test('changing an index key costs a delete and a put in that index', async () => {
    await rig.client.send(new PutItemCommand({ TableName: TABLE, Item: bigItem() }));
    rig.proxy.reset();
    await rig.client.send(
      new UpdateItemCommand({
        TableName: TABLE,
        Key: { pk: { S: 'item-1' } },
        UpdateExpression: 'SET g = :g',
        ExpressionAttributeValues: { ':g': { S: 'other' } },
      }),
    );
    const { dynamodb } = rig.proxy.snapshot();
    expect(dynamodb.wcuTable).toBe(2);
    // bySparse projects only keys, none of which changed.
    expect(dynamodb.wcuIndexes).toEqual({ byAll: 4 });
  });

  test('a failed conditional put costs the existing item size and no index writes', async () => {
    const small = { pk: { S: 'small' }, g: { S: 'group' }, sp: { S: 'y' } };
    await rig.client.send(new PutItemCommand({ TableName: TABLE, Item: small }));
    rig.proxy.reset();
    await expect(
      rig.client.send(
        new PutItemCommand({
          TableName: TABLE,
          Item: { ...small, body: { S: BODY } },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    const { dynamodb } = rig.proxy.snapshot();
    expect(dynamodb.wcuTable).toBe(1);
    expect(dynamodb.wcuIndexes).toEqual({});
    expect(dynamodb.wcuIndexTotal).toBe(0);
    expect(dynamodb.conditionalFailures).toBe(1);
  });

  test('a failed condition on a large item costs that item size', async () => {
    await rig.client.send(new PutItemCommand({ TableName: TABLE, Item: bigItem() }));
    rig.proxy.reset();
    await expect(
      rig.client.send(
        new PutItemCommand({
          TableName: TABLE,
          Item: { pk: { S: 'item-1' } },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    expect(rig.proxy.snapshot().dynamodb.wcuTable).toBe(2);
  });
});

describe('DynamoDB reads', () => {
  test('GetItem is priced per 4 KB, halved when eventually consistent', async () => {
    await rig.client.send(new PutItemCommand({ TableName: TABLE, Item: bigItem() }));
    rig.proxy.reset();
    const key = { pk: { S: 'item-1' } };
    const strong = await rig.client.send(
      new GetItemCommand({ TableName: TABLE, Key: key, ConsistentRead: true }),
    );
    const eventual = await rig.client.send(new GetItemCommand({ TableName: TABLE, Key: key }));
    expect(strong.Item!.body!.S).toBe(BODY);
    expect(eventual.Item!.body!.S).toBe(BODY);
    // The injected ReturnConsumedCapacity is not visible to the client.
    expect(strong.ConsumedCapacity).toBeUndefined();
    const { calls, dynamodb } = rig.proxy.snapshot();
    expect(calls).toEqual({ 'DynamoDB.GetItem': 2 });
    expect(dynamodb.rcu).toBe(1.5);
  });

  test('a client asking for ConsumedCapacity still gets it', async () => {
    const out = await rig.client.send(
      new GetItemCommand({
        TableName: TABLE,
        Key: { pk: { S: 'missing' } },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    expect(out.ConsumedCapacity!.CapacityUnits).toBe(0.5);
    expect(rig.proxy.snapshot().dynamodb.rcu).toBe(0.5);
  });

  test('an empty Query still costs half a read unit', async () => {
    const out = await rig.client.send(
      new QueryCommand({
        TableName: TABLE,
        IndexName: 'bySparse',
        KeyConditionExpression: 'sp = :sp',
        ExpressionAttributeValues: { ':sp': { S: 'nothing-here' } },
      }),
    );
    expect(out.Count).toBe(0);
    expect(out.ConsumedCapacity).toBeUndefined();
    expect(rig.proxy.snapshot().dynamodb.rcu).toBe(0.5);
  });
});
