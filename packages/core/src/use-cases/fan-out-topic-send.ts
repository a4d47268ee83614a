import type { TopicStore } from '../audience/topic-store';
import type { DeliveryOutcome } from '../delivery/delivery-outcome';
import { oncePerId } from '../delivery/once-per-id';
import { errorSummary } from '../error-summary';
import type { ChildStore, FanOutAudience, TopicSendStore } from '../fan-out/fan-out-ports';
import { capChildren, dropSuppressed, type ChildCaps } from '../fan-out/page-filters';
import { planPage, type PagePlan } from '../fan-out/plan-page';
import { advance, msUntil, settleDelayMs } from '../fan-out/progress';
import type { SuppressionList } from '../audience/suppression';
import type { Clock, Logger, NotificationQueue, StatusEventRelay } from '../ports';
import { statusEventId } from '../status-event';
import type { TopicSendRecord } from '../topic-send';
import { cancelUnstartedChildren, type CancelChildrenDeps } from './cancel-children';
import { topicSendStatusEvent } from './topic-send-event';

export interface FanOutDeps extends CancelChildrenDeps {
  sends: TopicSendStore;
  children: ChildStore;
  topics: Pick<TopicStore, 'listSubscribers'>;
  audience: FanOutAudience;
  /** Where children are enqueued (the bulk lane). */
  childQueue: NotificationQueue;
  clock: Clock;
  logger: Logger;
  workerId: string;
  /** A child whose message was lost is re-enqueued by the sweeper this long after creation. */
  sweepAfterMs: number;
  /** Subscribers per page (one Query, one BatchGetItem, then the children's writes). */
  pageSize?: number;
  /** The lease on the parent, extended by every page. */
  leaseMs?: number;
  events?: StatusEventRelay;
  /** The client's suppression list: a suppressed pair gets no child (`skipped.suppressed`). */
  suppressions?: Pick<SuppressionList, 'isSuppressed'>;
  /** Per-number caps: an SMS or WhatsApp child over one ends `Refused` `recipient_capped`. */
  caps?: ChildCaps;
}

const PAGE_SIZE = 100;
// Extended by every page (a page takes well under a second), and short so that a worker that
// died mid-fan-out holds it up only briefly: a second worker on the same page is harmless (the
// same child ids; only one page record wins), merely wasted work.
const LEASE_MS = 15_000;

/**
 * Fans a topic send out to its subscribers, then settles it. The worker calls it for a message
 * whose id is a topic send's.
 *
 * - **Page by page.** One page of subscribers at a time is read, planned (`planPage`), its
 *   children created with conditional writes (a child that exists is left alone, whatever its
 *   state) and enqueued on the child queue; then the page is recorded on the parent in one
 *   conditional write that adds its counts and moves the cursor only if the cursor is still where
 *   this page began. A crash anywhere in a page means the page is done again from the recorded
 *   cursor: the same child ids, no second child, counts added once. The whole list is never in
 *   memory.
 * - **Settle.** Once the last page is recorded, the parent stays `Pending` until every child is
 *   final: the children are counted (an index by parent) every few seconds (the message is
 *   handed back in between). It ends `Delivered` if any child was delivered, else `Refused`
 *   (`no_deliverable_recipient`, or `cancelled` after a cancel), with the counts stored beside
 *   the status, and its status event is owed and relayed like any other.
 * - **Cancel.** A cancel stops the fan-out at the next page (the page's own children are
 *   cancelled then), and every settle pass cancels children that have not started.
 */
export function createFanOutTopicSend(deps: FanOutDeps) {
  const pageSize = deps.pageSize ?? PAGE_SIZE;
  const leaseMs = deps.leaseMs ?? LEASE_MS;
  const leaseUntil = () => new Date(deps.clock.now().getTime() + leaseMs).toISOString();

  return oncePerId(claimAndRun, leaseMs);

  async function claimAndRun(id: string): Promise<DeliveryOutcome> {
    const now = deps.clock.now().toISOString();
    const claim = await deps.sends.claim(id, {
      owner: deps.workerId,
      now,
      leaseUntil: leaseUntil(),
    });
    switch (claim.kind) {
      case 'missing':
        deps.logger.warn({ notificationId: id }, 'queued topic send not found; dropping message');
        return { kind: 'missing' };
      case 'final':
        return { kind: 'done', status: claim.record.status };
      case 'leased':
        return { kind: 'retry-later', delayMs: msUntil(deps.clock, claim.until) };
      case 'not-due':
        return { kind: 'retry-later', delayMs: msUntil(deps.clock, claim.at) };
      case 'claimed':
        break;
    }
    let record = claim.record;
    if (!record.fanOut.complete && record.cancelledAt === undefined) {
      const ran = await runPages(record);
      if (ran === undefined) return { kind: 'retry-later', delayMs: leaseMs };
      record = ran;
    }
    return settle(record);
  }

  /** Runs the remaining pages; the record as last written, or `undefined` if the lease was lost. */
  /** One page of subscribers and what the fan-out needs to know of each. */
  async function readPage(record: TopicSendRecord, cursor: string | undefined) {
    const page = await deps.topics.listSubscribers(record.clientId, record.topicId, {
      limit: pageSize,
      ...(cursor !== undefined ? { cursor } : {}),
    });
    // A deleted topic stops the fan-out where it is: no further children.
    const subscriptions = page?.items ?? [];
    const recipients = await deps.audience.readRecipients(
      record.clientId,
      subscriptions.map((s) => s.recipientId),
    );
    return { subscriptions, recipients, nextCursor: page?.nextCursor };
  }

  /** Runs the remaining pages; the record as last written, or `undefined` if the lease was lost. */
  async function runPages(start: TopicSendRecord): Promise<TopicSendRecord | undefined> {
    let record = start;
    // The next page is read while this one's children are written (its reads do not depend on
    // them), so a page costs its writes' time, not its reads' plus its writes'.
    let reading = readPage(record, record.fanOut.cursor);
    while (!record.fanOut.complete) {
      const { subscriptions, recipients, nextCursor } = await reading;
      if (nextCursor !== undefined) {
        reading = readPage(record, nextCursor);
        // Awaited on the next turn; if this page ends the run, its failure must not go unhandled.
        reading.catch(() => undefined);
      }
      const now = deps.clock.now();
      const planned = planPage(record, subscriptions, recipients, now.toISOString());
      const plan = deps.suppressions
        ? await dropSuppressed(deps.suppressions, record.clientId, planned)
        : planned;
      const created = await deps.children.createChildren(
        plan.children,
        new Date(now.getTime() + deps.sweepAfterMs).toISOString(),
      );
      if (deps.caps) {
        await capChildren(
          { ...deps, caps: deps.caps },
          record.clientId,
          plan,
          new Set(created),
          now,
        );
      }
      const progress = advance(record.fanOut, plan, nextCursor);
      // The enqueue and the page record are independent: both only need the children to exist.
      const [, result] = await Promise.all([
        enqueueChildren(plan),
        deps.sends.recordPage(record.id, {
          owner: deps.workerId,
          now: now.toISOString(),
          leaseUntil: leaseUntil(),
          from: record.fanOut.cursor,
          progress,
          ...(progress.complete
            ? {
                event: {
                  at: now.toISOString(),
                  type: 'fanned_out' as const,
                  detail: { recipients: progress.recipients, children: progress.children },
                },
              }
            : {}),
        }),
      ]);
      if (result === 'lost') {
        deps.logger.warn(
          { notificationId: record.id },
          'fan-out lease lost; another worker goes on',
        );
        return undefined;
      }
      if (result === 'cancelled') {
        await cancelUnstartedChildren(
          deps,
          record,
          plan.children.map((c) => c.id),
        );
        return (await deps.sends.get(record.id)) ?? record;
      }
      record = { ...record, fanOut: progress, updatedAt: now.toISOString() };
      deps.logger.info(
        {
          notificationId: record.id,
          clientId: record.clientId,
          page: progress.pages,
          children: plan.children.length,
          complete: progress.complete,
        },
        'fan-out page recorded',
      );
    }
    return record;
  }

  async function enqueueChildren(plan: PagePlan) {
    if (plan.children.length === 0) return;
    try {
      // Every child of the page, created now or by an earlier try: the claim drops duplicates.
      await deps.childQueue.enqueue(plan.children.map((c) => c.id));
    } catch (err) {
      deps.logger.warn({ err: errorSummary(err) }, 'children not enqueued; the sweeper will');
    }
  }

  async function settle(record: TopicSendRecord): Promise<DeliveryOutcome> {
    if (record.cancelledAt !== undefined) await cancelUnstartedChildren(deps, record);
    const counts = await deps.children.countChildren(record.id);
    const seen = counts.Pending + counts.Delivered + counts.Refused;
    const now = deps.clock.now();
    // The index may lag the children's writes: settle only once it shows every child created.
    if (counts.Pending > 0 || seen < record.fanOut.children) {
      const delayMs = settleDelayMs(record, now);
      const next = new Date(now.getTime() + delayMs).toISOString();
      const released = await deps.sends.release(record.id, {
        owner: deps.workerId,
        now: now.toISOString(),
        nextAttemptAt: next,
        sweepAt: new Date(now.getTime() + delayMs + deps.sweepAfterMs).toISOString(),
      });
      return { kind: 'retry-later', delayMs: released ? delayMs : leaseMs };
    }
    const delivered = counts.Delivered > 0;
    const reason = delivered
      ? undefined
      : record.cancelledAt !== undefined
        ? { code: 'cancelled' as const, message: 'Cancelled by the client' }
        : {
            code: 'no_deliverable_recipient' as const,
            message: 'No child of the topic send was delivered',
          };
    const status = delivered ? ('Delivered' as const) : ('Refused' as const);
    const at = now.toISOString();
    const eventId = statusEventId(record.id, status);
    const finished = await deps.sends.finish(record.id, {
      owner: deps.workerId,
      now: at,
      status,
      ...(reason !== undefined ? { reason } : {}),
      counts,
      event: {
        at,
        type: delivered ? 'delivered' : 'refused',
        detail: { ...counts, ...(reason ? { code: reason.code } : {}) },
      },
      owedEventId: eventId,
    });
    if (!finished) return { kind: 'retry-later', delayMs: leaseMs };
    deps.logger.info(
      { notificationId: record.id, clientId: record.clientId, status, ...counts },
      'topic send settled',
    );
    const final: TopicSendRecord = {
      ...record,
      status,
      updatedAt: at,
      finalCounts: counts,
      ...(reason !== undefined ? { reason } : {}),
    };
    deps.events?.relay(topicSendStatusEvent(final, eventId));
    return { kind: 'done', status };
  }
}
