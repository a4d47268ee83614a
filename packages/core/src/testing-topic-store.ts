import type { ProfilePrecondition, RecipientStore } from './audience/recipient-store';
import { isRecipientId } from './audience/recipient-id';
import { MAX_TOPICS_PER_CLIENT, isTopicId } from './audience/topic';
import type {
  Page,
  PageOptions,
  SubscriptionRecord,
  TopicRecord,
  TopicStore,
} from './audience/topic-store';
import type { SubscriptionChannels, TopicPatch } from './audience/topic';
import { AppError } from './errors';

/**
 * A {@link TopicStore} in memory, following the DynamoDB adapter's rules (the topic bound,
 * preconditions, both ends must exist, pages ordered by id with the id as a base64url cursor).
 * Recipients are those of `recipients`; a recipient erased there loses its subscriptions.
 */
export class InMemoryTopicStore implements TopicStore {
  /** Keyed `<clientId>\0<topicId>`. */
  readonly topics = new Map<string, { record: TopicRecord; revision: number }>();
  /** Keyed `<clientId>\0<topicId>\0<recipientId>`. */
  readonly subscriptions = new Map<string, SubscriptionRecord>();

  constructor(
    private readonly recipients: Pick<RecipientStore, 'getProfile'>,
    private readonly maxTopics = MAX_TOPICS_PER_CLIENT,
  ) {}

  createTopic(p: {
    clientId: string;
    topicId: string;
    name: string;
    description?: string;
    now: string;
  }): Promise<TopicRecord> {
    const count = [...this.topics.values()].filter((t) => t.record.clientId === p.clientId).length;
    if (count >= this.maxTopics) {
      return Promise.reject(new AppError('CONFLICT', `at most ${this.maxTopics} topics`));
    }
    const { clientId, topicId, name, description, now } = p;
    const record: TopicRecord = {
      clientId,
      topicId,
      name,
      ...(description === undefined ? {} : { description }),
      version: 't1',
      createdAt: now,
      updatedAt: now,
    };
    this.topics.set(key(clientId, topicId), { record, revision: 1 });
    return Promise.resolve(structuredClone(record));
  }

  getTopic(clientId: string, topicId: string): Promise<TopicRecord | undefined> {
    const stored = this.topics.get(key(clientId, topicId));
    return Promise.resolve(stored && structuredClone(stored.record));
  }

  listTopics(clientId: string, page: PageOptions): Promise<Page<TopicRecord>> {
    const all = [...this.topics.values()]
      .map((t) => t.record)
      .filter((t) => t.clientId === clientId);
    return pageOf(all, (t) => t.topicId, page, isTopicId);
  }

  updateTopic(p: {
    clientId: string;
    topicId: string;
    patch: TopicPatch;
    precondition: ProfilePrecondition;
    now: string;
  }): Promise<TopicRecord> {
    const stored = this.topics.get(key(p.clientId, p.topicId));
    if (!stored) return Promise.reject(new AppError('NOT_FOUND', 'Topic not found'));
    const pre = p.precondition;
    if (
      pre.kind === 'absent' ||
      (pre.kind === 'version' && pre.version !== stored.record.version)
    ) {
      return Promise.reject(new AppError('PRECONDITION_FAILED', 'The topic has changed'));
    }
    const { description: _old, ...rest } = stored.record;
    const description =
      p.patch.description === undefined ? stored.record.description : p.patch.description;
    stored.revision += 1;
    stored.record = {
      ...rest,
      ...(p.patch.name === undefined ? {} : { name: p.patch.name }),
      ...(description === null || description === undefined ? {} : { description }),
      version: `t${stored.revision}`,
      updatedAt: p.now,
    };
    return Promise.resolve(structuredClone(stored.record));
  }

  deleteTopic(clientId: string, topicId: string): Promise<boolean> {
    let deleted = this.topics.delete(key(clientId, topicId));
    for (const k of this.subscriptions.keys()) {
      if (k.startsWith(`${key(clientId, topicId)}\u0000`)) deleted = this.subscriptions.delete(k);
    }
    return Promise.resolve(deleted);
  }

  async subscribe(p: {
    clientId: string;
    topicId: string;
    recipientId: string;
    channels?: SubscriptionChannels;
    now: string;
  }): Promise<{ created: boolean; subscription: SubscriptionRecord }> {
    if (!this.topics.has(key(p.clientId, p.topicId))) {
      throw new AppError('NOT_FOUND', 'Topic not found');
    }
    await this.assertRecipient(p.clientId, p.recipientId);
    const k = key(p.clientId, p.topicId, p.recipientId);
    const old = this.subscriptions.get(k);
    const subscription: SubscriptionRecord = {
      topicId: p.topicId,
      recipientId: p.recipientId,
      ...(p.channels === undefined ? {} : { channels: [...p.channels] }),
      createdAt: old?.createdAt ?? p.now,
      updatedAt: p.now,
    };
    this.subscriptions.set(k, subscription);
    return { created: old === undefined, subscription: structuredClone(subscription) };
  }

  unsubscribe(clientId: string, topicId: string, recipientId: string): Promise<boolean> {
    return Promise.resolve(this.subscriptions.delete(key(clientId, topicId, recipientId)));
  }

  async listSubscribers(
    clientId: string,
    topicId: string,
    page: PageOptions,
  ): Promise<Page<SubscriptionRecord> | undefined> {
    if (!this.topics.has(key(clientId, topicId))) return undefined;
    const subs = await this.live(clientId, (s) => s.topicId === topicId);
    return pageOf(subs, (s) => s.recipientId, page, isRecipientId);
  }

  async listSubscriptions(
    clientId: string,
    recipientId: string,
    page: PageOptions,
  ): Promise<Page<SubscriptionRecord> | undefined> {
    if ((await this.recipients.getProfile(clientId, recipientId)) === undefined) return undefined;
    const subs = await this.live(clientId, (s) => s.recipientId === recipientId);
    return pageOf(subs, (s) => s.topicId, page, isTopicId);
  }

  /** The client's subscriptions matching `keep`, dropping those of erased recipients. */
  private async live(
    clientId: string,
    keep: (s: SubscriptionRecord) => boolean,
  ): Promise<SubscriptionRecord[]> {
    const out: SubscriptionRecord[] = [];
    for (const [k, s] of this.subscriptions) {
      if (!k.startsWith(`${clientId}\u0000`) || !keep(s)) continue;
      if ((await this.recipients.getProfile(clientId, s.recipientId)) === undefined) {
        this.subscriptions.delete(k);
      } else out.push(s);
    }
    return out;
  }

  private async assertRecipient(clientId: string, recipientId: string): Promise<void> {
    if ((await this.recipients.getProfile(clientId, recipientId)) === undefined) {
      throw new AppError('NOT_FOUND', 'Recipient not found');
    }
  }
}

function key(...parts: string[]): string {
  return parts.join('\u0000');
}

function pageOf<T>(
  all: T[],
  idOf: (item: T) => string,
  page: PageOptions,
  validId: (id: string) => boolean,
): Promise<Page<T>> {
  let after: string | undefined;
  if (page.cursor !== undefined) {
    after = Buffer.from(page.cursor, 'base64url').toString('utf8');
    if (!validId(after) || Buffer.from(after).toString('base64url') !== page.cursor) {
      return Promise.reject(
        new AppError('VALIDATION_FAILED', 'cursor is invalid', {
          details: [{ path: 'cursor', message: 'is not a cursor from this list' }],
        }),
      );
    }
  }
  const sorted = all
    .filter((item) => after === undefined || idOf(item) > after)
    .sort((a, b) => (idOf(a) < idOf(b) ? -1 : 1));
  const items = structuredClone(sorted.slice(0, page.limit));
  const last = items.at(-1);
  const more = sorted.length > page.limit && last !== undefined;
  return Promise.resolve({
    items,
    ...(more ? { nextCursor: Buffer.from(idOf(last)).toString('base64url') } : {}),
  });
}
