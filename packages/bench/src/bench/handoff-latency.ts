import type { HandoffRun } from '../report/results';
import { latencySummary } from '../lib/stats';
import type { Sink } from './sink';

/** Per accepted marker, the sink's arrival minus the 202's: a latency summary and the missing. */
export function handoffLatencies(sink: Sink, accepted: Record<string, number>): HandoffRun {
  const markers = Object.keys(accepted);
  const latencies = markers.flatMap((marker) => {
    const at = sink.arrivals.get(marker);
    const acceptedAt = accepted[marker];
    return at === undefined || acceptedAt === undefined ? [] : [at - acceptedAt];
  });
  return { ...latencySummary(latencies), missing: markers.length - latencies.length };
}
