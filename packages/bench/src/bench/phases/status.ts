import { runLoad } from '../../load/run-load';
import type { BenchContext } from '../context';
import { cpuCountedRuns } from '../cpu-count';
import { SLACK_BODY, authHeaders, httpRun, statusLoad } from '../loads';
import { repeated } from '../repeated';

/** Creates `n` notifications through the api and returns their ids. */
async function createNotifications(ctx: BenchContext, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${ctx.stack.apiUrl}/v1/notifications`, {
      method: 'POST',
      headers: authHeaders(ctx),
      body: SLACK_BODY.replace('__SEQ__', `status-${i}`),
    });
    if (res.status !== 202) throw new Error(`POST answered ${res.status}: ${await res.text()}`);
    ids.push(((await res.json()) as { id: string }).id);
  }
  return ids;
}

/** Status GET at peak, and long-polls on notifications that stay Pending. */
export async function benchStatus(ctx: BenchContext): Promise<void> {
  const ids = await createNotifications(ctx, 200);
  const opts = statusLoad(ctx, ids);
  ctx.results.http.statusGet = {
    label: 'Status GET /v1/notifications/:id',
    ...(await cpuCountedRuns(ctx, 'Status GET', opts)),
  };
  // Long-poll: every request waits on a notification that stays Pending (no worker runs), so it
  // is held the full waitSeconds; the ideal is connections / waitSeconds requests per second.
  const wait = ctx.settings.longPollWaitSeconds;
  const connections = ctx.settings.longPollConnections;
  ctx.results.http.longPoll = {
    label: `Long-poll GET ?waitSeconds=${wait} (${connections} clients)`,
    ideal: connections / wait,
    ...(await repeated(
      ctx,
      'Long-poll GET',
      async () =>
        httpRun(
          await runLoad({
            ...opts,
            connections,
            paths: ids.map((id) => `/v1/notifications/${id}?waitSeconds=${wait}`),
            timeoutSeconds: wait + 10,
          }),
        ),
      { warmup: false },
    )),
  };
  ctx.results.statusIds = ids;
}
