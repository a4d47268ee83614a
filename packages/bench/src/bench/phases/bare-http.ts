import { startTracked } from '../../lib/processes';
import type { BenchContext } from '../context';
import { loadOptions } from '../loads';
import { httpRuns } from '../repeated';
import { baseline } from '../worker-variants';

/** Baseline B: a bare node:http hello world under the same load as every HTTP figure. */
export async function benchBareHttp(ctx: BenchContext): Promise<void> {
  const hello = startTracked('hello', baseline('hello'));
  try {
    const { listening } = JSON.parse(await hello.waitForLine(/listening/)) as { listening: number };
    const opts = loadOptions(ctx, `http://127.0.0.1:${listening}/`);
    ctx.results.http.B = {
      label: 'B — bare node:http hello world',
      ...(await httpRuns(ctx, 'B (node:http hello world)', opts)),
    };
  } finally {
    await hello.stop();
  }
}
