import type { Clock } from '../ports';
import type { FanOutProgress, TopicSendRecord } from '../topic-send';
import type { PagePlan } from './plan-page';

const SETTLE_MIN_MS = 2_000;
const SETTLE_MAX_MS = 30_000;

/** The record's progress with one more page added. */
export function advance(
  progress: FanOutProgress,
  plan: PagePlan,
  nextCursor: string | undefined,
): FanOutProgress {
  const next: FanOutProgress = {
    pages: progress.pages + 1,
    recipients: progress.recipients + plan.recipients,
    children: progress.children + plan.children.length,
    skipped: {
      optedOut: progress.skipped.optedOut + plan.skipped.optedOut,
      suppressed: progress.skipped.suppressed + plan.skipped.suppressed,
      noAddress: progress.skipped.noAddress + plan.skipped.noAddress,
    },
    complete: nextCursor === undefined,
  };
  if (nextCursor !== undefined) next.cursor = nextCursor;
  return next;
}

/** Children settle over seconds to hours (retries, quiet hours): look less often as it ages. */
export function settleDelayMs(record: TopicSendRecord, now: Date): number {
  const age = now.getTime() - Date.parse(record.createdAt);
  return Math.min(SETTLE_MAX_MS, Math.max(SETTLE_MIN_MS, Math.round(age / 10)));
}

export function msUntil(clock: Clock, iso: string): number {
  return Math.max(1_000, Date.parse(iso) - clock.now().getTime());
}
