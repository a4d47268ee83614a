import {
  isTopicId,
  subscriptionBodySchema,
  topicCreateSchema,
  topicPatchSchema,
  MAX_TOPIC_DESCRIPTION_LENGTH,
  MAX_TOPIC_NAME_LENGTH,
} from './topic';

const issues = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  result.error?.issues.map((i) => i.path.join('.')) ?? [];

describe('topic schemas', () => {
  it('accepts a name with or without a description, within the bounds', () => {
    expect(topicCreateSchema.parse({ name: 'Ops' })).toEqual({ name: 'Ops' });
    const long = {
      name: 'n'.repeat(MAX_TOPIC_NAME_LENGTH),
      description: 'd'.repeat(MAX_TOPIC_DESCRIPTION_LENGTH),
    };
    expect(topicCreateSchema.parse(long)).toEqual(long);
  });

  it('lists every problem of a bad topic at once', () => {
    const result = topicCreateSchema.safeParse({
      name: 'n'.repeat(MAX_TOPIC_NAME_LENGTH + 1),
      description: 'd'.repeat(MAX_TOPIC_DESCRIPTION_LENGTH + 1),
      owner: 'x',
    });
    expect(result.success).toBe(false);
    expect(issues(result).sort()).toEqual(['', 'description', 'name']);
    expect(topicCreateSchema.safeParse({ name: '' }).success).toBe(false);
    expect(topicCreateSchema.safeParse({}).success).toBe(false);
  });

  it('patches the name, the description or both; null clears the description; {} is refused', () => {
    expect(topicPatchSchema.parse({ name: 'New' })).toEqual({ name: 'New' });
    expect(topicPatchSchema.parse({ description: null })).toEqual({ description: null });
    expect(topicPatchSchema.safeParse({}).success).toBe(false);
    expect(topicPatchSchema.safeParse({ name: null }).success).toBe(false);
    expect(topicPatchSchema.safeParse({ id: 'x', name: 'a' }).success).toBe(false);
  });

  it('takes a subscription with no channels (every channel) or a set of known channels', () => {
    expect(subscriptionBodySchema.parse({})).toEqual({});
    expect(subscriptionBodySchema.parse({ channels: ['email', 'push'] })).toEqual({
      channels: ['email', 'push'],
    });
    expect(subscriptionBodySchema.safeParse({ channels: [] }).success).toBe(false);
    expect(subscriptionBodySchema.safeParse({ channels: ['email', 'email'] }).success).toBe(false);
    expect(subscriptionBodySchema.safeParse({ channels: ['fax'] }).success).toBe(false);
    expect(subscriptionBodySchema.safeParse({ channels: 'email' }).success).toBe(false);
  });

  it('knows a topic id: a lower-case UUID v4 only', () => {
    expect(isTopicId('0b6f3c4e-8d2a-4c1b-9f3e-2a7d5e6f8a90')).toBe(true);
    expect(isTopicId('0B6F3C4E-8D2A-4C1B-9F3E-2A7D5E6F8A90')).toBe(false);
    expect(isTopicId('0b6f3c4e-8d2a-1c1b-9f3e-2a7d5e6f8a90')).toBe(false);
    expect(isTopicId('../etc')).toBe(false);
  });
});
