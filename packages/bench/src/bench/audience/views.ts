/**
 * The api's side the audience phases read and post through: a notification's view (status,
 * events, a topic send's fanOut) and direct Slack notifications to the sink, each carrying a
 * marker the sink reads back.
 */
import { authHeaders } from '../loads';
import type { BenchContext } from '../context';
import { pool } from './seed';

/** The part of `GET /v1/notifications/:id` the phases read. */
export interface NotificationView {
  id: string;
  status: string;
  events: { at: string; type: string }[];
  fanOut?: {
    children?: { Pending?: number; Delivered?: number; Refused?: number };
    complete?: boolean;
  };
}

/** The time (epoch ms) of the first event of `type` in a view; undefined when there is none. */
export function eventAt(view: NotificationView | undefined, type: string): number | undefined {
  const at = view?.events.find((e) => e.type === type)?.at;
  return at === undefined ? undefined : Date.parse(at);
}

/** One notification's view; undefined for a 404. Any other non-200 throws. */
export async function readView(
  ctx: BenchContext,
  id: string,
): Promise<NotificationView | undefined> {
  const res = await fetch(`${ctx.stack.apiUrl}/v1/notifications/${id}`, {
    headers: authHeaders(ctx),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw new Error(`GET /v1/notifications/${id}: ${res.status} ${text}`);
  return JSON.parse(text) as NotificationView;
}

/** The views of `ids` (16 reads in flight), in the order of `ids`. */
export async function readViews(
  ctx: BenchContext,
  ids: readonly string[],
): Promise<(NotificationView | undefined)[]> {
  const views: (NotificationView | undefined)[] = new Array<NotificationView | undefined>(
    ids.length,
  );
  await pool(ids.length, 16, async (i) => {
    const id = ids[i];
    if (id !== undefined) views[i] = await readView(ctx, id);
  });
  return views;
}

/**
 * Posts one Slack notification to the sink with text `bench <marker>` (and `sendAt` if given);
 * resolves with its id. Anything but `202` throws: the phases post far below any limit.
 */
export async function postDirect(
  ctx: BenchContext,
  marker: string,
  sendAt?: string,
): Promise<string> {
  const body = {
    channel: 'slack',
    to: { webhook: 'bench' },
    text: `bench ${marker}`,
    ...(sendAt !== undefined ? { sendAt } : {}),
  };
  const res = await fetch(`${ctx.stack.apiUrl}/v1/notifications`, {
    method: 'POST',
    headers: authHeaders(ctx),
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  if (res.status !== 202) throw new Error(`POST /v1/notifications: ${res.status} ${text}`);
  return (JSON.parse(text) as { id: string }).id;
}
