import { setTimeout as sleep } from 'node:timers/promises';
import { errorSummary, type Logger, type QueueMessage, type WorkQueue } from '@herald/core';
import { createAckBatcher } from './ack-batcher';
import { createSlotPool, type LaneSlots } from './slot-pool';

/** What to do with a processed message (a notification delivery's outcome fits this). */
export type MessageOutcome =
  | { kind: 'done' | 'missing' } // ack
  | { kind: 'retry-later'; delayMs: number }; // hide until then

export interface ConsumerOptions {
  queue: WorkQueue;
  /** Processes one message; the outcome says whether to ack it or hide it for a while. */
  handle: (message: QueueMessage) => Promise<MessageOutcome>;
  logger: Logger;
  /** Most messages processed at once; receives only ask for free slots. */
  concurrency: number;
  /**
   * Slots shared with another consumer (the worker's two queues, see slot-pool.ts); when given,
   * they bound this consumer instead of `concurrency`.
   */
  slots?: LaneSlots;
  /** The queue's visibility timeout; the heartbeat renews it at half that while a send runs. */
  visibilityTimeoutSeconds: number;
  /** Long-poll wait per receive. */
  waitSeconds: number;
  /**
   * Pause after a receive that returned some messages but fewer than it asked for, so that
   * messages trickling in share the next receive instead of costing one each. Default 0.
   */
  receiveLingerMs?: number;
  /** How long a message stays hidden after the store could not be reached. */
  storeErrorDelaySeconds?: number;
  /**
   * The queue's maxReceiveCount. A message that is only waiting (a `retry-later` outcome, or a
   * transient failure) is replaced on its last receives (`receiveCount >= maxReceiveCount - 1`)
   * by a fresh delayed message, so retries and pacing deferrals never use up the receives that
   * would send it to the DLQ. Without it, such messages are hidden on every receive.
   */
  maxReceiveCount?: number;
  /**
   * Called when `handle` throws: `'ack'` deletes the message (nothing more can come of it),
   * `'retry'` keeps it as a wait (a transient failure: replaced on its last receives, never
   * dead-lettered for this), `'leave'` keeps it for redelivery and, after the queue's
   * maxReceiveCount, the DLQ. A throw counts as `'leave'`. Without it every such message is left.
   */
  onProcessingFailure?: (message: QueueMessage, err: unknown) => Promise<ProcessingVerdict>;
}

/** What to do with a message whose processing threw (see `onProcessingFailure`). */
export type ProcessingVerdict = 'ack' | 'retry' | 'leave';

const MAX_VISIBILITY_SECONDS = 12 * 60 * 60;
/** SQS's longest DelaySeconds: a longer wait is left to the claim (`not-due`) of the next one. */
const MAX_DELAY_SECONDS = 900;

/**
 * The worker's SQS loop. It keeps up to `concurrency` messages in flight, renews each message's
 * visibility while it is being processed (so a slow provider never lets a second worker see it),
 * deletes finished messages in batches, and hides retried ones until their next attempt (on
 * their last receives, replaces them with a fresh delayed message instead, see
 * `maxReceiveCount`). Contract: a message is deleted only after its outcome is stored, or after
 * its replacement was sent; a throw from `handle` leaves it for redelivery (unless
 * `onProcessingFailure` says ack or retry), and after the queue's maxReceiveCount the redrive
 * policy moves it to the DLQ.
 */
export function createQueueConsumer(opts: ConsumerOptions) {
  const acks = createAckBatcher((h) => opts.queue.ack(h), opts.logger);
  const inFlight = new Map<string, Promise<void>>();
  const heartbeats = new Map<string, NodeJS.Timeout>();
  // Waits started after a message's slot was freed; stop() lets them finish before its last acks.
  const waits = new Set<Promise<void>>();
  const stopReceiving = new AbortController();
  const slots = opts.slots ?? createSlotPool(opts.concurrency, 1).lane('transactional');
  let loop: Promise<void> | undefined;

  async function run(): Promise<void> {
    while (!stopReceiving.signal.aborted) {
      // Slots are taken before the receive, so a long poll never brings more than there is room for.
      const asked = slots.reserve(10);
      if (asked === 0) {
        await slots.whenReleased(stopReceiving.signal);
        continue;
      }
      const messages = await receive(asked);
      slots.received(asked, messages.length);
      for (const message of messages) track(message);
      if (messages.length > 0 && messages.length < asked) await linger();
    }
  }

  async function linger(): Promise<void> {
    const ms = opts.receiveLingerMs ?? 0;
    if (ms > 0) await sleep(ms, undefined, { signal: stopReceiving.signal }).catch(() => undefined);
  }

  async function receive(max: number): Promise<QueueMessage[]> {
    try {
      return await opts.queue.receive(max, opts.waitSeconds, stopReceiving.signal);
    } catch (err) {
      if (stopReceiving.signal.aborted) return [];
      opts.logger.error({ err: errorSummary(err) }, 'receive failed; retrying in 1 s');
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      return [];
    }
  }

  function track(message: QueueMessage): void {
    const work = process(message).finally(() => {
      inFlight.delete(message.receiptHandle);
      slots.release();
    });
    inFlight.set(message.receiptHandle, work);
  }

  async function process(message: QueueMessage): Promise<void> {
    const log = opts.logger.child({
      notificationId: message.notificationId,
      receiveCount: message.receiveCount,
    });
    if (message.notificationId === '') {
      // Unparseable: it never will parse. Leave it; the redrive policy moves it to the DLQ.
      log.error({ sqsBody: message.body.slice(0, 200) }, 'message body is not a Herald message');
      return;
    }
    heartbeats.set(message.receiptHandle, startHeartbeat(message, log));
    try {
      applyOutcome(message, await opts.handle(message));
    } catch (err) {
      const verdict = await afterFailure(message, err, log);
      if (verdict === 'ack') {
        acks.add(message.receiptHandle);
        return;
      }
      log.error({ err: errorSummary(err) }, 'processing failed; the message will be redelivered');
      const delaySeconds = opts.storeErrorDelaySeconds ?? 5;
      if (verdict === 'retry') await wait(message, delaySeconds, log);
      else await hide(message, delaySeconds, log);
    } finally {
      clearInterval(heartbeats.get(message.receiptHandle));
      heartbeats.delete(message.receiptHandle);
    }
  }

  async function afterFailure(
    message: QueueMessage,
    err: unknown,
    log: Logger,
  ): Promise<ProcessingVerdict> {
    if (opts.onProcessingFailure === undefined) return 'leave';
    try {
      return await opts.onProcessingFailure(message, err);
    } catch (hookErr) {
      log.warn({ err: errorSummary(hookErr) }, 'failure handling failed; leaving the message');
      return 'leave';
    }
  }

  function applyOutcome(message: QueueMessage, outcome: MessageOutcome): void {
    switch (outcome.kind) {
      case 'done':
      case 'missing':
        acks.add(message.receiptHandle);
        return;
      case 'retry-later': {
        // Not awaited: the slot is free for the next message while SQS answers.
        const waiting = wait(message, Math.ceil(outcome.delayMs / 1000), opts.logger).finally(() =>
          waits.delete(waiting),
        );
        waits.add(waiting);
        return;
      }
    }
  }

  /**
   * Makes the message come back after `seconds`. On its last receives a hidden message would go
   * to the DLQ when it returns, so it is replaced by a fresh delayed one (sent first, then the
   * old one acked: a crash in between leaves two messages, which the claim makes harmless).
   */
  async function wait(message: QueueMessage, seconds: number, log: Logger): Promise<void> {
    const max = opts.maxReceiveCount;
    if (max !== undefined && message.receiveCount >= max - 1) {
      try {
        await opts.queue.sendDelayed(message.body, Math.min(MAX_DELAY_SECONDS, seconds));
        acks.add(message.receiptHandle);
        return;
      } catch (err) {
        log.warn({ err: errorSummary(err) }, 'could not replace the message; hiding it instead');
      }
    }
    await hide(message, seconds, log);
  }

  function startHeartbeat(message: QueueMessage, log: Logger): NodeJS.Timeout {
    const everyMs = (opts.visibilityTimeoutSeconds * 1000) / 2;
    return setInterval(() => {
      opts.queue
        .setVisibility(message.receiptHandle, opts.visibilityTimeoutSeconds)
        .catch((err: unknown) =>
          log.warn({ err: errorSummary(err) }, 'visibility heartbeat failed'),
        );
    }, everyMs);
  }

  async function hide(message: QueueMessage, seconds: number, log: Logger): Promise<void> {
    try {
      await opts.queue.setVisibility(
        message.receiptHandle,
        Math.min(MAX_VISIBILITY_SECONDS, Math.max(0, seconds)),
      );
    } catch (err) {
      log.warn(
        { err: errorSummary(err) },
        'could not delay the message; it returns after the visibility timeout',
      );
    }
  }

  return {
    /** Starts receiving. Call once. */
    start(): void {
      loop ??= run();
    },
    /**
     * Stops receiving, waits up to `graceMs` for in-flight sends to finish and their outcomes to
     * be stored, then makes any still unfinished message visible again at once. Their leases in
     * the store keep another worker from sending them until the lease runs out.
     */
    async stop(graceMs: number): Promise<{ unfinished: number }> {
      stopReceiving.abort();
      await loop;
      const all = Promise.all([...inFlight.values()]);
      await Promise.race([all, new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
      const unfinished = [...inFlight.keys()];
      for (const h of unfinished) clearInterval(heartbeats.get(h));
      await Promise.all(
        unfinished.map((h) => opts.queue.setVisibility(h, 0).catch(() => undefined)),
      );
      await Promise.all([...waits]);
      await acks.drain();
      return { unfinished: unfinished.length };
    },
    inFlightCount(): number {
      return inFlight.size;
    },
  };
}
