import {
  isWhollySuppressed,
  suppressionAddressesOf,
  type SuppressionList,
} from '../audience/suppression';
import type { NotificationStore } from '../ports';
import { cappedNumberOf, recipientCappedReason, type RecipientCaps } from '../recipient-caps';
import { refuseUnstartedChild } from '../use-cases/cancel-children';
import type { PagePlan } from './plan-page';

/**
 * Drops the planned children whose address the client has suppressed (for an email, every `to`
 * address), counting each under `skipped.suppressed`: a suppressed pair gets no child, like an
 * opted-out one. One lookup for the whole page.
 */
export async function dropSuppressed(
  suppressions: Pick<SuppressionList, 'isSuppressed'>,
  clientId: string,
  plan: PagePlan,
): Promise<PagePlan> {
  const addresses = plan.children.flatMap((c) => suppressionAddressesOf(c.request));
  if (addresses.length === 0) return plan;
  const suppressed = await suppressions.isSuppressed(clientId, addresses);
  if (suppressed.size === 0) return plan;
  const kept = plan.children.filter((child) => !isWhollySuppressed(child.request, suppressed));
  return {
    ...plan,
    children: kept,
    skipped: {
      ...plan.skipped,
      suppressed: plan.skipped.suppressed + plan.children.length - kept.length,
    },
  };
}

/** What counting children against the per-number caps needs. */
export interface ChildCaps {
  caps: RecipientCaps;
  /** The client's own cap, from its settings (`undefined`: the default). */
  clientMax(clientId: string): Promise<number | undefined>;
}

/**
 * Counts the page's newly created SMS and WhatsApp children against the per-number caps, as
 * direct sends are counted; a child over a cap ends `Refused` `recipient_capped` at once (with
 * the cancel's conditional write: it has not started). Only children this page created are
 * counted, so a page done again after a crash counts nothing twice (a crash between the create
 * and the count leaves those children uncounted: the cap errs on the lenient side then).
 */
export async function capChildren(
  deps: {
    caps: ChildCaps;
    notifications: Pick<NotificationStore, 'cancel'>;
    owesEvents?: boolean;
  },
  clientId: string,
  plan: PagePlan,
  created: ReadonlySet<string>,
  now: Date,
): Promise<number> {
  const capped = plan.children.filter((c) => created.has(c.id) && cappedNumberOf(c.request));
  if (capped.length === 0) return 0;
  const clientMax = await deps.caps.clientMax(clientId);
  let refused = 0;
  for (const child of capped) {
    const number = cappedNumberOf(child.request);
    if (number === undefined) continue;
    const verdict = await deps.caps.caps.consume(clientId, number, now, clientMax);
    if (verdict.kind === 'ok') continue;
    const reason = recipientCappedReason(verdict.retryAfterMs);
    if (await refuseUnstartedChild(deps, clientId, child.id, now, reason)) refused += 1;
  }
  return refused;
}
