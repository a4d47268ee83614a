import type { DeviceRecord } from '../audience/recipient-store';
import type { RecipientPreferences } from '../audience/recipient-preferences';
import type { RecipientProfile } from '../audience/recipient-profile';
import type { Page, PageOptions } from '../audience/topic-store';
import type { NotificationEvent, NotificationRecord, NotificationStatus } from '../notification';
import type { RefusalReason } from '../notification';
import type { ChildCounts, ChildView, FanOutProgress, TopicSendRecord } from '../topic-send';

/** Result of a worker trying to take a topic send for fanning out or settling. */
export type TopicSendClaim =
  | { kind: 'claimed'; record: TopicSendRecord }
  | { kind: 'final'; record: TopicSendRecord }
  | { kind: 'leased'; until: string }
  | { kind: 'not-due'; at: string }
  | { kind: 'missing' };

/** Result of a client cancelling a topic send. */
export type TopicSendCancel =
  /** The fan-out had not started: the parent itself is now `Refused` `cancelled`. */
  | { kind: 'cancelled'; record: TopicSendRecord }
  /** The fan-out had started: no further page; the children are cancelled by the caller. */
  | { kind: 'stopping'; record: TopicSendRecord }
  | { kind: 'final'; record: TopicSendRecord }
  | { kind: 'missing' };

/**
 * Topic sends (parent notifications), in the notifications table beside the notifications they
 * fan out to. Every change is a single-item conditional write; infrastructure failures throw
 * AppError `UNAVAILABLE`.
 */
export interface TopicSendStore {
  /** Creates it unless the id exists (an idempotent retry): then the existing item, if a topic send. */
  create(
    record: TopicSendRecord,
    sweepAt: string,
    scheduled: boolean,
  ): Promise<{ created: true } | { created: false; existing?: TopicSendRecord }>;
  get(id: string): Promise<TopicSendRecord | undefined>;
  /** Takes the lease: Pending, due (`sendAt`, `nextAttemptAt`), not leased by someone else. */
  claim(id: string, c: { owner: string; now: string; leaseUntil: string }): Promise<TopicSendClaim>;
  /**
   * Records a finished page: its counts added, the cursor moved on and the lease extended, only
   * if `owner` holds the lease, the cursor is still `from` (so a page is counted once) and no
   * cancel arrived. `cancelled`: a cancel arrived (the page's children must be cancelled too).
   */
  recordPage(
    id: string,
    p: {
      owner: string;
      now: string;
      leaseUntil: string;
      from: string | undefined;
      progress: FanOutProgress;
      /** Appended when the page completes the fan-out. */
      event?: NotificationEvent;
    },
  ): Promise<'recorded' | 'lost' | 'cancelled'>;
  /** Releases the lease until `nextAttemptAt` (children still Pending). `false`: lease lost. */
  release(
    id: string,
    r: { owner: string; now: string; nextAttemptAt: string; sweepAt: string },
  ): Promise<boolean>;
  /** The final status, with the children's counts and the owed status event. `false`: lease lost. */
  finish(
    id: string,
    f: {
      owner: string;
      now: string;
      status: Exclude<NotificationStatus, 'Pending'>;
      reason?: RefusalReason;
      counts: ChildCounts;
      event: NotificationEvent;
      owedEventId: string;
    },
  ): Promise<boolean>;
  /** See {@link TopicSendCancel}; only `clientId`'s own topic send. */
  cancel(
    id: string,
    c: {
      clientId: string;
      now: string;
      reason: RefusalReason;
      event: NotificationEvent;
      /** When status events are published: the parent's final event is owed in the same write. */
      owedEventId?: string;
    },
  ): Promise<TopicSendCancel>;
  /** A client's topic sends to one topic, newest first. */
  listByTopic(clientId: string, topicId: string, page: PageOptions): Promise<Page<TopicSendRecord>>;
}

/** The children of topic sends: ordinary notifications, found through their parent. */
export interface ChildStore {
  /**
   * Creates each child unless its id exists (a page done again): never a second child, never a
   * reset of one that moved. Children go on the bulk lane. Resolves with the ids it created.
   */
  createChildren(children: readonly NotificationRecord[], sweepAt: string): Promise<string[]>;
  /** The children by status (read from an index: it may lag a write by a moment). */
  countChildren(parentId: string): Promise<ChildCounts>;
  /** A page of children, optionally of one status. A bad cursor is `VALIDATION_FAILED`. */
  listChildren(
    parentId: string,
    q: { status?: NotificationStatus; limit: number; cursor?: string },
  ): Promise<Page<ChildView>>;
}

/** What the fan-out needs to know of one subscriber. */
export interface FanOutRecipient {
  profile: RecipientProfile;
  devices: DeviceRecord[];
  preferences?: RecipientPreferences;
}

/** Reads a page of subscribers' profiles, devices and preferences together (BatchGetItem). */
export interface FanOutAudience {
  /** Erased recipients are absent from the map. */
  readRecipients(
    clientId: string,
    recipientIds: readonly string[],
  ): Promise<Map<string, FanOutRecipient>>;
}
